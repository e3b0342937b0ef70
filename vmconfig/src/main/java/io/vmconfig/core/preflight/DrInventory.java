package io.vmconfig.core.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.ClaimUse;
import io.vmconfig.core.vm.StructuralSchema;
import io.vmconfig.core.vm.VirtualMachines;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.core.vm.Volumes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What exists on the DR cluster, as far as a restore cares: PVCs and the VMs that use them, NADs, storage classes,
 * instancetypes and preferences. Built from Kubernetes objects (a cluster read or {@code kubectl get -o yaml}).
 */
public record DrInventory(
        Map<String, PvcInfo> pvcs,
        Map<String, VmRef> claimUsers,
        Set<String> nads,
        Set<String> storageClasses,
        Set<String> clusterInstancetypes,
        Set<String> clusterPreferences,
        Optional<StructuralSchema> vmSchema) {

    /** The CRD that serves VirtualMachines; its schema is what the DR API server prunes and type-checks by. */
    public static final String VM_CRD = "virtualmachines.kubevirt.io";

    public DrInventory(
            Map<String, PvcInfo> pvcs,
            Map<String, VmRef> claimUsers,
            Set<String> nads,
            Set<String> storageClasses,
            Set<String> clusterInstancetypes,
            Set<String> clusterPreferences) {
        this(pvcs, claimUsers, nads, storageClasses, clusterInstancetypes, clusterPreferences, Optional.empty());
    }

    public DrInventory {
        pvcs = Map.copyOf(pvcs);
        claimUsers = Map.copyOf(claimUsers);
        nads = Set.copyOf(nads);
        storageClasses = Set.copyOf(storageClasses);
        clusterInstancetypes = Set.copyOf(clusterInstancetypes);
        clusterPreferences = Set.copyOf(clusterPreferences);
    }

    public static DrInventory of(Iterable<? extends JsonNode> objects) {
        Builder b = new Builder();
        objects.forEach(b::add);
        return b.build();
    }

    /**
     * An inventory built one object at a time, so that a reader can hand over a paged list page by page and keep only
     * what the inventory keeps (a few strings per PVC and claim), not the objects.
     */
    public static final class Builder {
        private final Map<String, PvcInfo> pvcs = new HashMap<>();
        private final Map<String, VmRef> users = new HashMap<>();
        private final Set<String> nads = new HashSet<>();
        private final Set<String> classes = new HashSet<>();
        private final Set<String> instancetypes = new HashSet<>();
        private final Set<String> preferences = new HashSet<>();
        private Optional<StructuralSchema> schema = Optional.empty();

        /** Takes what the inventory needs of {@code o}; objects of other kinds and nameless ones are ignored. */
        public Builder add(JsonNode o) {
            String kind = o.path("kind").asText();
            String ns = o.path("metadata").path("namespace").asText("");
            String name = o.path("metadata").path("name").asText("");
            if (name.isEmpty()) {
                return this;
            }
            switch (kind) {
                case "PersistentVolumeClaim" -> {
                    PvcInfo p = pvc(o, ns, name);
                    pvcs.put(p.key(), p);
                }
                case "NetworkAttachmentDefinition" -> nads.add(ns + "/" + name);
                case "StorageClass" -> classes.add(name);
                case "VirtualMachineClusterInstancetype" -> instancetypes.add(name);
                case "VirtualMachineClusterPreference" -> preferences.add(name);
                case "CustomResourceDefinition" -> {
                    if (VM_CRD.equals(name)) {
                        schema = StructuralSchema.fromCrd(o, "v1");
                    }
                }
                case "VirtualMachine" -> {
                    if (o.isObject() && VirtualMachines.isVirtualMachine(o) && !ns.isEmpty()) {
                        for (ClaimUse u : Volumes.claimUses((ObjectNode) o)) {
                            users.put(ns + "/" + u.claimName(), new VmRef(ns, name));
                        }
                    }
                }
                default -> {}
            }
            return this;
        }

        public DrInventory build() {
            return new DrInventory(pvcs, users, nads, classes, instancetypes, preferences, schema);
        }
    }

    private static PvcInfo pvc(JsonNode o, String ns, String name) {
        String phase = o.path("status").path("phase").asText(null);
        String size = Json.textAt(o, "status", "capacity", "storage")
                .or(() -> Json.textAt(o, "spec", "resources", "requests", "storage"))
                .orElse(null);
        Map<String, String> labels = new HashMap<>();
        o.path("metadata")
                .path("labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new PvcInfo(
                ns,
                name,
                phase,
                size,
                Json.textAt(o, "spec", "volumeMode").orElse(null),
                Json.textAt(o, "spec", "storageClassName").orElse(null),
                labels);
    }

    public Optional<PvcInfo> pvc(String namespace, String name) {
        return Optional.ofNullable(pvcs.get(namespace + "/" + name));
    }

    /** The backend-storage PVC of VM {@code vm}: by KubeVirt's label, else by its legacy name. */
    public Optional<PvcInfo> backendPvc(String namespace, String vm) {
        return pvcs.values().stream()
                .filter(p ->
                        p.namespace().equals(namespace) && vm.equals(p.labels().get(Volumes.BACKEND_LABEL)))
                .findFirst()
                .or(() -> pvc(namespace, Volumes.BACKEND_PREFIX + vm));
    }
}
