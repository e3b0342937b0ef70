package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.VirtualMachines;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.core.vm.VmTransform;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The disks a copy owns (docs/volume-map.md "unmapped: create-empty"): every claim the VolumeMap leaves unmapped gets
 * a new name derived from the new VM's name and volume, never an existing claim's name; a new empty PVC, labelled as
 * created by vmconfig for that VM, is written before the VM, or, for a DataVolume template, the renamed template keeps
 * its source so that CDI fills the new disk.
 */
public final class NewClaims {
    /** The label value on disks vmconfig created. */
    public static final String CREATED_BY = "vmconfig";

    private NewClaims() {}

    /** The new claim for volume {@code volume} of VM {@code vm}: {@code <vm>-<volume>}, shortened with a hash if needed. */
    public static String name(VmRef vm, String volume) {
        String plain = vm.name() + "-" + volume;
        if (VirtualMachines.isValidName(plain) && plain.length() <= 253) {
            return plain;
        }
        String head = vm.name().length() > 200 ? vm.name().substring(0, 200) : vm.name();
        head = head.replaceAll("[^a-z0-9-]", "-").replaceAll("-+$", "");
        return (head.isEmpty() ? "vm" : head) + "-" + hash(vm + "/" + volume);
    }

    /** The name when {@link #name} is taken by a disk vmconfig did not create: {@code <vm>-<volume>-<hash>}. */
    public static String alternative(VmRef vm, String volume) {
        String head = name(vm, volume);
        head = head.length() > 240 ? head.substring(0, 240).replaceAll("[^a-z0-9]+$", "") : head;
        return head + "-" + hash("copy:" + vm + "/" + volume);
    }

    /** The label value naming the VM a disk was created for (label values are at most 63 characters). */
    public static String ownerLabel(VmRef vm) {
        String n = vm.name();
        return n.length() <= 63 ? n : n.substring(0, 46).replaceAll("[^A-Za-z0-9]+$", "") + "-" + hash(vm.toString());
    }

    /** Whether a DR object's labels say vmconfig created it for {@code vm}. */
    public static boolean createdFor(Map<String, String> labels, VmRef vm) {
        return CREATED_BY.equals(labels.get(Annotations.CREATED_BY_LABEL))
                && ownerLabel(vm).equals(labels.get(Annotations.CREATED_FOR_LABEL));
    }

    /** A new, empty PVC for a claim: size, access modes, volume mode and (mapped) class from the source record. */
    public static ObjectNode pvc(
            VmRef target, String name, ClaimRecord source, VolumeMap map, Optional<JsonNode> harvesterEntry) {
        ObjectNode pvc = Json.object().put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
        ObjectNode meta = pvc.putObject("metadata").put("name", name).put("namespace", target.namespace());
        label(meta, target);
        harvesterEntry
                .flatMap(e -> Json.textAt(e, "metadata", "annotations", VolumeClaimTemplates.IMAGE_ID))
                .ifPresent(id -> Json.ensureObject(meta, "annotations")
                        .put(VolumeClaimTemplates.IMAGE_ID, NamespaceTransforms.qualified(id, map)));
        ObjectNode spec = pvc.putObject("spec");
        ArrayNode modes = spec.putArray("accessModes");
        (source.accessModes() == null || source.accessModes().isEmpty()
                        ? List.of("ReadWriteOnce")
                        : source.accessModes())
                .forEach(modes::add);
        spec.putObject("resources").putObject("requests").put("storage", source.size());
        if (source.volumeMode() != null) {
            spec.put("volumeMode", source.volumeMode());
        }
        if (source.storageClass() != null) {
            spec.put("storageClassName", map.storageClass(source.storageClass()));
        }
        return pvc;
    }

    static void label(ObjectNode meta, VmRef target) {
        ObjectNode labels = Json.ensureObject(meta, "labels");
        labels.put(Annotations.MANAGED_LABEL, "true");
        labels.put(Annotations.CREATED_BY_LABEL, CREATED_BY);
        labels.put(Annotations.CREATED_FOR_LABEL, ownerLabel(target));
        Json.ensureObject(meta, "annotations").put(Annotations.CREATED_FOR, target.toString());
    }

    /**
     * Points every reference to a claim in {@code renamed} at its new name: PVC, ephemeral and memory-dump claims, a
     * {@code dataVolume} with a template (template renamed and labelled, its source kept), a {@code dataVolume}
     * without one (becomes a {@code persistentVolumeClaim} of the new PVC), and Harvester's template entries.
     */
    static VmTransform rename(Map<String, String> renamed, VmRef target) {
        return vm -> {
            if (renamed.isEmpty()) {
                return vm;
            }
            ObjectNode out = vm.deepCopy();
            java.util.Set<String> templated = new java.util.HashSet<>();
            for (JsonNode t : out.path("spec").path("dataVolumeTemplates")) {
                String n = t.path("metadata").path("name").asText();
                if (renamed.containsKey(n)) {
                    templated.add(n);
                    ObjectNode meta = (ObjectNode) t.get("metadata");
                    meta.put("name", renamed.get(n));
                    label(meta, target);
                }
            }
            Map<String, String> asClaims = new java.util.HashMap<>();
            renamed.forEach((k, v) -> {
                if (!templated.contains(k)) {
                    asClaims.put(k, v);
                }
            });
            out = RestoreTransforms.remapClaims(asClaims).apply(out);
            for (JsonNode v : out.path("spec").path("template").path("spec").path("volumes")) {
                JsonNode dv = v.get("dataVolume");
                if (dv != null
                        && dv.isObject()
                        && templated.contains(dv.path("name").asText())) {
                    ((ObjectNode) dv).put("name", renamed.get(dv.path("name").asText()));
                }
            }
            Optional<ArrayNode> entries = VolumeClaimTemplates.read(out, "VirtualMachine " + target);
            if (entries.isPresent()) {
                ArrayNode rewritten = entries.get().deepCopy();
                for (Iterator<JsonNode> it = rewritten.elements(); it.hasNext(); ) {
                    ObjectNode meta = Json.ensureObject((ObjectNode) it.next(), "metadata");
                    String n = meta.path("name").asText();
                    if (renamed.containsKey(n)) {
                        meta.put("name", renamed.get(n));
                    }
                }
                VolumeClaimTemplates.write(out, rewritten);
            }
            return out;
        };
    }

    private static String hash(String text) {
        return shortHash(text, 5);
    }

    /** The first {@code bytes} bytes of the SHA-256 of {@code text}, in hex: a stable, name-safe suffix. */
    public static String shortHash(String text, int bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
