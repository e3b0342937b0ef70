package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The backup-side transforms of kubevirt-harvester.md §6 ("Keep", "Drop", "Transform at backup time"), each a small
 * named copy-on-write function. Everything not named here is kept as it is.
 */
public final class BackupTransforms {
    /** Metadata the API server or controllers own (§6 Drop 2 and 3). */
    static final List<String> RUNTIME_METADATA = List.of(
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "managedFields",
            "selfLink",
            "ownerReferences",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generateName",
            "finalizers");

    /** Bookkeeping annotations that would mislead controllers on DR (§6 Drop 4 and 5). */
    static final Set<String> BOOKKEEPING_ANNOTATIONS = Set.of(
            "kubevirt.io/latest-observed-api-version",
            "kubevirt.io/storage-observed-api-version",
            "kubevirt.io/restore-run-strategy",
            "restore.kubevirt.io/lastRestoreUID",
            "restore.kubevirt.io/name",
            Annotations.KUBECTL_LAST_APPLIED,
            "harvesterhci.io/removedPersistentVolumeClaims");

    static final List<String> BOOKKEEPING_ANNOTATION_PREFIXES = List.of("restore.harvesterhci.io/");
    static final Set<String> BOOKKEEPING_LABELS = Set.of("velero.io/backup-name", "velero.io/restore-name");

    private BackupTransforms() {}

    /** {@code spec.running: true|false} becomes {@code runStrategy: Always|Halted} in its place (§6 Transform 1). */
    public static final VmTransform CONVERT_RUNNING_TO_RUN_STRATEGY = vm -> {
        JsonNode spec = vm.get("spec");
        if (spec == null || !spec.has("running")) {
            return vm;
        }
        ObjectNode out = vm.deepCopy();
        ObjectNode oldSpec = (ObjectNode) out.get("spec");
        ObjectNode newSpec = Json.object();
        JsonNode running = oldSpec.get("running");
        String strategy = running.asBoolean(false) ? "Always" : "Halted";
        for (Iterator<Map.Entry<String, JsonNode>> it = oldSpec.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("running")) {
                if (!oldSpec.has("runStrategy") && !running.isNull()) {
                    newSpec.put("runStrategy", strategy);
                }
            } else {
                newSpec.set(e.getKey(), e.getValue());
            }
        }
        out.set("spec", newSpec);
        return out;
    };

    /**
     * Records the run strategy in {@code vmconfig.io/original-run-strategy} (§6 Transform 3). A VM that vmconfig
     * itself restored (halted, with the annotation) keeps the recorded value.
     */
    public static final VmTransform RECORD_ORIGINAL_RUN_STRATEGY = vm -> {
        Optional<String> strategy = Json.textAt(vm, "spec", "runStrategy");
        Optional<String> recorded = Json.textAt(vm, "metadata", "annotations", Annotations.ORIGINAL_RUN_STRATEGY);
        if (strategy.isEmpty() || strategy.equals(recorded)) {
            return vm;
        }
        boolean vmconfigCopy = recorded.isPresent()
                && "Halted".equals(strategy.get())
                && Json.textAt(vm, "metadata", "annotations", Annotations.SOURCE_UID)
                        .isPresent();
        if (vmconfigCopy) {
            return vm;
        }
        ObjectNode out = vm.deepCopy();
        Json.ensureObject(out, "metadata", "annotations").put(Annotations.ORIGINAL_RUN_STRATEGY, strategy.get());
        return out;
    };

    /** Instancetype/preference revision names move from status into spec before status goes (§6 Transform 2). */
    public static final VmTransform COPY_REVISION_NAMES_TO_SPEC = vm -> {
        ObjectNode out = vm;
        for (String[] pair : new String[][] {{"instancetype", "instancetypeRef"}, {"preference", "preferenceRef"}}) {
            Optional<String> rev = Json.textAt(vm, "status", pair[1], "controllerRevisionRef", "name");
            Optional<ObjectNode> matcher = Json.objectAt(out, "spec", pair[0]);
            if (rev.isPresent() && matcher.isPresent() && !matcher.get().hasNonNull("revisionName")) {
                out = out == vm ? vm.deepCopy() : out;
                Json.objectAt(out, "spec", pair[0]).orElseThrow().put("revisionName", rev.get());
            }
        }
        return out;
    };

    /** {@code status} is controller-owned (§6 Drop 1). */
    public static final VmTransform DROP_STATUS = vm -> {
        if (!vm.has("status")) {
            return vm;
        }
        return copyExcept(vm, "status"::equals, null, null);
    };

    /** uid, resourceVersion, generation, timestamps, managedFields, ownerReferences, finalizers (§6 Drop 2, 3). */
    public static final VmTransform DROP_RUNTIME_METADATA = vm -> {
        Optional<ObjectNode> meta = Json.objectAt(vm, "metadata");
        if (meta.isEmpty() || RUNTIME_METADATA.stream().noneMatch(meta.get()::has)) {
            return vm;
        }
        return copyExcept(vm, k -> false, "metadata", copyExcept(meta.get(), RUNTIME_METADATA::contains, null, null));
    };

    /** Observed-version, restore bookkeeping, last-applied and Harvester's delete-these-PVCs list (§6 Drop 4, 5). */
    public static final VmTransform DROP_BOOKKEEPING = vm -> {
        boolean annotations = Json.objectAt(vm, "metadata", "annotations")
                .map(a -> anyField(a, BackupTransforms::isBookkeepingAnnotation))
                .orElse(false);
        boolean labels = Json.objectAt(vm, "metadata", "labels")
                .map(l -> anyField(l, BOOKKEEPING_LABELS::contains))
                .orElse(false);
        if (!annotations && !labels) {
            return vm;
        }
        ObjectNode out = vm.deepCopy();
        ObjectNode meta = (ObjectNode) out.get("metadata");
        removeFields(meta, "annotations", BackupTransforms::isBookkeepingAnnotation);
        removeFields(meta, "labels", BOOKKEEPING_LABELS::contains);
        return out;
    };

    /**
     * {@code harvesterhci.io/volumeClaimTemplates} is re-serialised compactly without the per-entry
     * {@code creationTimestamp: null} and {@code status} that carry nothing (§6 Transform 4).
     */
    public static final VmTransform NORMALIZE_VOLUME_CLAIM_TEMPLATES = vm -> {
        Optional<ArrayNode> entries = VolumeClaimTemplates.read(vm, "VirtualMachine " + VirtualMachines.ref(vm));
        if (entries.isEmpty()) {
            return vm;
        }
        ArrayNode normal = entries.get().deepCopy();
        for (JsonNode e : normal) {
            ObjectNode entry = (ObjectNode) e;
            entry.remove("status");
            Json.objectAt(entry, "metadata").ifPresent(m -> {
                if (m.has("creationTimestamp") && m.get("creationTimestamp").isNull()) {
                    m.remove("creationTimestamp");
                }
            });
        }
        String text = Json.compact(normal);
        if (text.equals(vm.path("metadata")
                .path("annotations")
                .path(VolumeClaimTemplates.ANNOTATION)
                .asText())) {
            return vm;
        }
        ObjectNode out = vm.deepCopy();
        VolumeClaimTemplates.write(out, normal);
        return out;
    };

    /** All backup transforms in the order they must run (revision names are read before status is dropped). */
    public static final List<VmTransform> ALL = List.of(
            COPY_REVISION_NAMES_TO_SPEC,
            CONVERT_RUNNING_TO_RUN_STRATEGY,
            RECORD_ORIGINAL_RUN_STRATEGY,
            DROP_STATUS,
            DROP_RUNTIME_METADATA,
            DROP_BOOKKEEPING,
            NORMALIZE_VOLUME_CLAIM_TEMPLATES);

    /**
     * A copy of {@code object} without the fields {@code drop} names and with {@code replacement} as the value of
     * {@code replaced} (null: none), the other fields deep-copied in their order: a drop that never copies what it
     * drops (a live VM's status and managedFields are often the larger part of it).
     */
    private static ObjectNode copyExcept(
            ObjectNode object, java.util.function.Predicate<String> drop, String replaced, ObjectNode replacement) {
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(replaced)) {
                out.set(e.getKey(), replacement);
            } else if (!drop.test(e.getKey())) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }

    static boolean isBookkeepingAnnotation(String key) {
        return BOOKKEEPING_ANNOTATIONS.contains(key)
                || BOOKKEEPING_ANNOTATION_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static boolean anyField(ObjectNode map, java.util.function.Predicate<String> test) {
        for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
            if (test.test(it.next())) {
                return true;
            }
        }
        return false;
    }

    private static void removeFields(ObjectNode meta, String mapName, java.util.function.Predicate<String> test) {
        JsonNode map = meta.get(mapName);
        if (map == null || !map.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            if (test.test(it.next().getKey())) {
                it.remove();
            }
        }
        if (map.isEmpty()) {
            meta.remove(mapName);
        }
    }
}
