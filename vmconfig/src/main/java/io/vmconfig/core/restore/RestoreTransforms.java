package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmTransform;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The DR restore transforms of kubevirt-harvester.md §6 "What a DR restore must change", items 1-6. Each is a
 * small named copy-on-write function; the ones that need the mapping are built from it. Identity (item 7),
 * namespaces (item 8) and traceability live in {@link IdentityTransforms} and {@link NamespaceTransforms}.
 */
public final class RestoreTransforms {
    private RestoreTransforms() {}

    /** Item 1: {@code runStrategy: Halted} and no {@code running}; the original is already recorded. */
    public static final VmTransform HALT = vm -> {
        if ("Halted".equals(vm.path("spec").path("runStrategy").asText())
                && !vm.path("spec").has("running")) {
            return vm;
        }
        ObjectNode out = vm.deepCopy();
        ObjectNode spec = (ObjectNode) out.get("spec");
        spec.remove("running");
        spec.put("runStrategy", "Halted");
        return out;
    };

    /** KubeVirt serves v1alpha3 only as a deprecated alias; DR gets the storage version. */
    public static final VmTransform API_VERSION_V1 = vm -> {
        if ("kubevirt.io/v1".equals(vm.path("apiVersion").asText())) {
            return vm;
        }
        ObjectNode out = vm.deepCopy();
        out.put("apiVersion", "kubevirt.io/v1");
        return out;
    };

    /**
     * Item 2: every claim reference in {@code claimMap} points at its DR claim; {@code dataVolume} volumes become
     * {@code persistentVolumeClaim} volumes in place (keeping {@code hotpluggable}).
     */
    public static VmTransform remapClaims(Map<String, String> claimMap) {
        return vm -> {
            Optional<ArrayNode> volumes = Json.arrayAt(vm, "spec", "template", "spec", "volumes");
            if (volumes.isEmpty() || claimMap.isEmpty()) {
                return vm;
            }
            ObjectNode out = vm.deepCopy();
            ArrayNode vols =
                    Json.arrayAt(out, "spec", "template", "spec", "volumes").orElseThrow();
            for (int i = 0; i < vols.size(); i++) {
                ObjectNode v = (ObjectNode) vols.get(i);
                remapField(v.path("persistentVolumeClaim"), "claimName", claimMap);
                remapField(v.path("ephemeral").path("persistentVolumeClaim"), "claimName", claimMap);
                remapField(v.path("memoryDump"), "claimName", claimMap);
                JsonNode dv = v.get("dataVolume");
                if (dv != null
                        && dv.isObject()
                        && claimMap.containsKey(dv.path("name").asText())) {
                    vols.set(
                            i, dataVolumeToClaim(v, claimMap.get(dv.path("name").asText())));
                }
            }
            return out;
        };
    }

    private static void remapField(JsonNode holder, String field, Map<String, String> claimMap) {
        if (holder.isObject() && holder.path(field).isTextual()) {
            String dr = claimMap.get(holder.get(field).asText());
            if (dr != null) {
                ((ObjectNode) holder).put(field, dr);
            }
        }
    }

    private static ObjectNode dataVolumeToClaim(ObjectNode volume, String claim) {
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = volume.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("dataVolume")) {
                out.set(e.getKey(), e.getValue());
                continue;
            }
            ObjectNode pvc = out.putObject("persistentVolumeClaim");
            pvc.put("claimName", claim);
            if (e.getValue().has("hotpluggable")) {
                pvc.set("hotpluggable", e.getValue().get("hotpluggable"));
            }
        }
        return out;
    }

    /** Item 3: templates of mapped claims go, so that KubeVirt/CDI create no DataVolume over the replicated disk. */
    public static VmTransform dropMappedDataVolumeTemplates(Map<String, String> claimMap) {
        return vm -> {
            Optional<ArrayNode> templates = Json.arrayAt(vm, "spec", "dataVolumeTemplates");
            if (templates.isEmpty()) {
                return vm;
            }
            ObjectNode out = vm.deepCopy();
            ArrayNode kept = Json.array();
            for (JsonNode t : templates.get()) {
                if (!claimMap.containsKey(t.path("metadata").path("name").asText())) {
                    kept.add(t);
                }
            }
            ObjectNode spec = (ObjectNode) out.get("spec");
            if (kept.isEmpty()) {
                spec.remove("dataVolumeTemplates");
            } else {
                spec.set("dataVolumeTemplates", kept);
            }
            return out;
        };
    }

    /**
     * Items 4, 5 and 8 for Harvester's annotation: dropped when every entry is mapped (the PVCs exist); otherwise
     * mapped entries take their DR name and class and the rest keep theirs with the class and image namespace
     * mapped, so Harvester creates only the disks the operator asked to create empty.
     */
    public static VmTransform rewriteVolumeClaimTemplates(
            Map<String, String> claimMap, Function<String, String> drClassOfClaim, VolumeMap map) {
        return vm -> {
            Optional<ArrayNode> entries = VolumeClaimTemplates.read(
                    vm, "VirtualMachine " + vm.path("metadata").path("name").asText());
            if (entries.isEmpty()) {
                return vm;
            }
            ObjectNode out = vm.deepCopy();
            boolean allMapped = true;
            ArrayNode rewritten = entries.get().deepCopy();
            for (JsonNode e : rewritten) {
                ObjectNode entry = (ObjectNode) e;
                ObjectNode meta = Json.ensureObject(entry, "metadata");
                String claim = meta.path("name").asText();
                String dr = claimMap.get(claim);
                ObjectNode spec = Json.ensureObject(entry, "spec");
                if (dr != null) {
                    meta.put("name", dr);
                    String cls = drClassOfClaim.apply(claim);
                    if (cls != null) {
                        spec.put("storageClassName", cls);
                    }
                } else {
                    allMapped = false;
                    Json.textAt(spec, "storageClassName")
                            .ifPresent(c -> spec.put("storageClassName", map.storageClass(c)));
                }
                Json.objectAt(meta, "annotations")
                        .ifPresent(a -> Json.textAt(a, VolumeClaimTemplates.IMAGE_ID)
                                .ifPresent(id ->
                                        a.put(VolumeClaimTemplates.IMAGE_ID, NamespaceTransforms.qualified(id, map))));
            }
            if (allMapped) {
                ObjectNode annotations = (ObjectNode) out.get("metadata").get("annotations");
                annotations.remove(VolumeClaimTemplates.ANNOTATION);
            } else {
                VolumeClaimTemplates.write(out, rewritten);
            }
            return out;
        };
    }

    /** Item 5: storage classes of the DataVolume templates that stay (unmapped claims under create-empty). */
    public static VmTransform mapStorageClasses(VolumeMap map) {
        return vm -> {
            Optional<ArrayNode> templates = Json.arrayAt(vm, "spec", "dataVolumeTemplates");
            if (templates.isEmpty() || map.storageClasses().isEmpty()) {
                return vm;
            }
            ObjectNode out = vm.deepCopy();
            for (JsonNode t : Json.arrayAt(out, "spec", "dataVolumeTemplates").orElseThrow()) {
                for (String holder : new String[] {"storage", "pvc"}) {
                    Json.objectAt(t, "spec", holder)
                            .ifPresent(s -> Json.textAt(s, "storageClassName")
                                    .ifPresent(c -> s.put("storageClassName", map.storageClass(c))));
                }
            }
            return out;
        };
    }

    /** Item 6: Multus network names and Harvester cluster-network affinity keys point at DR networks. */
    public static VmTransform mapNetworks(VolumeMap map) {
        return vm -> {
            if (map.networks().isEmpty()
                    && map.namespaces().isEmpty()
                    && map.clusterNetworks().isEmpty()) {
                return vm;
            }
            ObjectNode out = vm.deepCopy();
            String ns = out.path("metadata").path("namespace").asText();
            ObjectNode tspec = Json.objectAt(out, "spec", "template", "spec").orElseThrow();
            for (JsonNode n : tspec.path("networks")) {
                Json.objectAt(n, "multus")
                        .ifPresent(m -> Json.textAt(m, "networkName")
                                .ifPresent(ref -> m.put("networkName", map.network(ref, ns))));
            }
            ClusterNetworkAffinity.remap(tspec, map);
            return out.equals(vm) ? vm : out;
        };
    }

    /** Annotations that describe the source, not the DR copy, and would mislead there. */
    public static final VmTransform DROP_SOURCE_CLAIM_RECORDS = vm -> {
        if (!vm.path("metadata").path("annotations").has(Annotations.CLAIMS)) {
            return vm;
        }
        ObjectNode out = vm.deepCopy();
        ((ObjectNode) out.get("metadata").get("annotations")).remove(Annotations.CLAIMS);
        return out;
    };
}
