package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.preflight.Preflight;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.preflight.Reason;
import io.vmconfig.core.vm.Admission;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.Claims;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.core.vm.VmTransform;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns a config-only VM into the VM to write on DR (kubevirt-harvester.md §6 "What a DR restore must change"),
 * or blocks it with every reason. Pure: the inventory is passed in, randomness (new firmware UUIDs in copy mode) is
 * injected, and nothing is written.
 */
public final class DrRestore {
    private final VolumeMap map;
    private final Supplier<UUID> uuids;

    public DrRestore(VolumeMap map, Supplier<UUID> uuids) {
        this.map = map;
        this.uuids = uuids;
    }

    public VolumeMap map() {
        return map;
    }

    /**
     * Restores {@code src}. With an inventory the pre-flight runs too; {@code trace} adds annotations (set id,
     * revision, ...) that the caller knows.
     */
    public RestoreOutcome restore(ConfigOnlyVm src, Optional<DrInventory> inventory, Map<String, String> trace) {
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        VmRef target = new VmRef(map.namespace(src.ref().namespace()), src.ref().name());
        Map<String, String> claimMap = mapClaims(src, problems);
        Map<String, String> newClaims = newClaims(src, target, claimMap, inventory, problems, notes);
        if (!problems.isEmpty()) {
            return new RestoreOutcome.Blocked(src.ref(), problems);
        }
        Function<String, String> drClass = claim -> {
            String dr = claimMap.get(claim);
            Optional<String> actual = inventory
                    .flatMap(inv -> inv.pvc(map.namespace(src.ref().namespace()), dr))
                    .map(p -> p.storageClass());
            return actual.orElseGet(() -> src.claims().stream()
                    .filter(c -> c.claimName().equals(claim))
                    .map(c -> map.storageClass(c.storageClass()))
                    .filter(c -> c != null)
                    .findFirst()
                    .orElse(null));
        };
        VmTransform pipeline = VmTransform.chain(List.of(
                RestoreTransforms.DROP_SOURCE_CLAIM_RECORDS,
                RestoreTransforms.HALT,
                RestoreTransforms.API_VERSION_V1,
                RestoreTransforms.remapClaims(claimMap),
                RestoreTransforms.dropMappedDataVolumeTemplates(claimMap),
                RestoreTransforms.rewriteVolumeClaimTemplates(claimMap, drClass, map),
                NewClaims.rename(newClaims, target),
                RestoreTransforms.mapStorageClasses(map),
                RestoreTransforms.mapNetworks(map),
                NamespaceTransforms.mapNamespace(map),
                IdentityTransforms.forMode(map.mode(), uuids),
                traceability(src, claimMap, trace)));
        ObjectNode vm = pipeline.apply(src.vm());
        problems.addAll(Admission.check(vm, inventory.flatMap(DrInventory::vmSchema)));
        problems.addAll(Placement.check(vm, claimMap, newClaims));
        List<ObjectNode> pvcs = newPvcs(src, target, newClaims);
        if (inventory.isPresent()) {
            problems.addAll(Preflight.check(vm, src.claims(), claimMap, inventory.get()));
            problems.addAll(Preflight.checkNewClaims(pvcs, inventory.get()));
        }
        if (!problems.isEmpty()) {
            return new RestoreOutcome.Blocked(src.ref(), problems);
        }
        return new RestoreOutcome.Restored(src.ref(), target, vm, claimMap, pvcs, notes);
    }

    private Map<String, String> mapClaims(ConfigOnlyVm src, List<Problem> problems) {
        Map<String, String> claimMap = new TreeMap<>();
        for (ClaimRecord c : src.claims()) {
            if (c.source() == ClaimSource.BACKEND_STORAGE || claimMap.containsKey(c.claimName())) {
                continue;
            }
            Optional<VolumeMap.Mapped> m = map.claim(src.ref().namespace(), c.claimName());
            if (m.isEmpty()) {
                if (map.unmapped() == UnmappedPolicy.FAIL) {
                    problems.add(new Problem(
                            Reason.UNMAPPED_CLAIM,
                            volumePath(src, c),
                            "claim "
                                    + src.ref().namespace() + "/" + c.claimName() + " (volume " + c.volumeName()
                                    + ") matches no claims pair and no rule"));
                }
            } else if (!m.get().valid()) {
                problems.add(new Problem(
                        Reason.INVALID_MAPPED_NAME,
                        volumePath(src, c),
                        "claim " + c.claimName() + " maps to '" + m.get().name() + "' by "
                                + m.get().by() + ", which is not a valid PVC name"));
            } else if (map.mode() == RestoreMode.COPY && !m.get().explicit()) {
                problems.add(new Problem(
                        Reason.FOREIGN_CLAIM,
                        volumePath(src, c),
                        "a copy would attach claim "
                                + c.claimName() + " to existing PVC "
                                + map.namespace(src.ref().namespace()) + "/"
                                + m.get().name() + " by " + m.get().by()
                                + "; a copy uses only disks it creates or that a"
                                + " claims pair names explicitly"));
            } else {
                claimMap.put(c.claimName(), m.get().name());
            }
        }
        return claimMap;
    }

    /**
     * Under {@code unmapped: create-empty}, every unmapped claim gets a disk of its own, named from the new VM; one
     * that already exists on DR and was not created by vmconfig for this VM is refused, never attached.
     */
    private Map<String, String> newClaims(
            ConfigOnlyVm src,
            VmRef target,
            Map<String, String> claimMap,
            Optional<DrInventory> inventory,
            List<Problem> problems,
            List<String> notes) {
        Map<String, String> out = new TreeMap<>();
        if (map.unmapped() != UnmappedPolicy.CREATE_EMPTY) {
            return out;
        }
        for (ClaimRecord c : src.claims()) {
            if (c.source() == ClaimSource.BACKEND_STORAGE
                    || claimMap.containsKey(c.claimName())
                    || out.containsKey(c.claimName())
                    || map.claim(src.ref().namespace(), c.claimName()).isPresent()) {
                continue;
            }
            String plain = NewClaims.name(target, c.volumeName());
            boolean taken = inventory
                    .flatMap(inv -> inv.pvc(target.namespace(), plain))
                    .filter(p -> !NewClaims.createdFor(p.labels(), target))
                    .isPresent();
            boolean sourceName =
                    src.claims().stream().anyMatch(o -> o.claimName().equals(plain));
            String name = taken || sourceName ? NewClaims.alternative(target, c.volumeName()) : plain;
            out.put(c.claimName(), name);
            boolean templated =
                    Claims.dataVolumeTemplate(src.vm(), c.claimName()).isPresent();
            if (!templated && c.size() == null) {
                problems.add(new Problem(
                        Reason.SIZE_UNKNOWN,
                        volumePath(src, c),
                        "claim " + c.claimName()
                                + " is unmapped and its size is unknown, so no new disk can be created for it; map it or"
                                + " export it with its PVC"));
            }
            inventory.flatMap(inv -> inv.pvc(target.namespace(), name)).ifPresent(p -> {
                if (!NewClaims.createdFor(p.labels(), target)) {
                    problems.add(new Problem(
                            Reason.FOREIGN_CLAIM,
                            volumePath(src, c),
                            "the new disk "
                                    + target.namespace() + "/" + name + " for claim " + c.claimName()
                                    + " already exists"
                                    + " and was not created by vmconfig for VM " + target + ": a copy never uses it"));
                }
            });
            notes.add("claim " + c.claimName() + " is unmapped: new empty disk " + target.namespace() + "/" + name
                    + (templated ? " (DataVolume template, its source kept)" : ""));
        }
        return out;
    }

    private List<ObjectNode> newPvcs(ConfigOnlyVm src, VmRef target, Map<String, String> newClaims) {
        List<ObjectNode> out = new ArrayList<>();
        Optional<com.fasterxml.jackson.databind.node.ArrayNode> entries =
                VolumeClaimTemplates.read(src.vm(), "VirtualMachine " + src.ref());
        for (ClaimRecord c : src.claims()) {
            String name = newClaims.get(c.claimName());
            if (name == null
                    || Claims.dataVolumeTemplate(src.vm(), c.claimName()).isPresent()
                    || out.stream()
                            .anyMatch(p ->
                                    name.equals(p.path("metadata").path("name").asText()))) {
                continue;
            }
            out.add(NewClaims.pvc(
                    target,
                    name,
                    c,
                    map,
                    entries.flatMap(a -> VolumeClaimTemplates.entry(a, c.claimName()))
                            .map(e -> (com.fasterxml.jackson.databind.JsonNode) e)));
        }
        return out;
    }

    private static String volumePath(ConfigOnlyVm src, ClaimRecord c) {
        if (c.volumeName() == null) {
            return null;
        }
        var volumes = src.vm().path("spec").path("template").path("spec").path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            if (c.volumeName().equals(volumes.get(i).path("name").asText())) {
                return "spec.template.spec.volumes[" + i + "]";
            }
        }
        return null;
    }

    private VmTransform traceability(ConfigOnlyVm src, Map<String, String> claimMap, Map<String, String> trace) {
        return vm -> {
            ObjectNode out = vm.deepCopy();
            ObjectNode a = Json.ensureObject(out, "metadata", "annotations");
            a.put(Annotations.SOURCE_NAMESPACE, src.ref().namespace());
            a.put(Annotations.SOURCE_NAME, src.ref().name());
            if (src.uid() != null) {
                a.put(Annotations.SOURCE_UID, src.uid());
            }
            if (src.generation() > 0) {
                a.put(Annotations.SOURCE_GENERATION, Long.toString(src.generation()));
            }
            a.put(Annotations.RESTORE_MODE, map.mode().key());
            ObjectNode claims = Json.object();
            claimMap.forEach(claims::put);
            a.put(Annotations.CLAIM_MAP, Json.compact(claims));
            new TreeMap<>(trace).forEach(a::put);
            Json.ensureObject(out, "metadata", "labels").put(Annotations.MANAGED_LABEL, "true");
            return out;
        };
    }
}
