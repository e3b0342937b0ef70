package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmTransform;

/**
 * Item 8: the namespace mapping, for {@code metadata.namespace} and the namespace-bearing strings Velero's own
 * mapping leaves alone ({@code harvesterhci.io/sshNames}, DataVolume source namespaces; image ids and NAD names are
 * handled where those fields are rewritten).
 */
public final class NamespaceTransforms {
    private NamespaceTransforms() {}

    /** {@code ns/name} with its namespace mapped; a string without a namespace is returned as it is. */
    static String qualified(String ref, VolumeMap map) {
        int slash = ref.indexOf('/');
        return slash > 0 ? map.namespace(ref.substring(0, slash)) + ref.substring(slash) : ref;
    }

    public static VmTransform mapNamespace(VolumeMap map) {
        return vm -> {
            if (map.namespaces().isEmpty()) {
                return vm;
            }
            ObjectNode out = vm.deepCopy();
            ObjectNode meta = (ObjectNode) out.get("metadata");
            meta.put("namespace", map.namespace(meta.path("namespace").asText()));
            Json.objectAt(out, "spec", "template", "metadata", "annotations")
                    .ifPresent(a -> Json.textAt(a, Annotations.HARVESTER_SSH_NAMES)
                            .ifPresent(s -> a.put(Annotations.HARVESTER_SSH_NAMES, sshNames(s, map))));
            for (JsonNode t : out.path("spec").path("dataVolumeTemplates")) {
                for (String[] path :
                        new String[][] {{"spec", "sourceRef"}, {"spec", "source", "pvc"}, {"spec", "source", "snapshot"}
                        }) {
                    Json.objectAt(t, path)
                            .ifPresent(src -> Json.textAt(src, "namespace")
                                    .ifPresent(n -> src.put("namespace", map.namespace(n))));
                }
            }
            return out.equals(vm) ? vm : out;
        };
    }

    private static String sshNames(String json, VolumeMap map) {
        JsonNode parsed;
        try {
            parsed = Json.parse(json, "annotation " + Annotations.HARVESTER_SSH_NAMES);
        } catch (RuntimeException e) {
            return json;
        }
        if (!parsed.isArray()) {
            return json;
        }
        ArrayNode out = Json.array();
        parsed.forEach(n -> out.add(n.isTextual() ? Json.NODES.textNode(qualified(n.asText(), map)) : n));
        return Json.compact(out);
    }

    /** Maps the namespace of a dependency object (Secret, ConfigMap, ...). */
    public static ObjectNode mapObjectNamespace(ObjectNode obj, VolumeMap map) {
        String ns = obj.path("metadata").path("namespace").asText(null);
        if (ns == null || map.namespace(ns).equals(ns)) {
            return obj;
        }
        ObjectNode out = obj.deepCopy();
        ((ObjectNode) out.get("metadata")).put("namespace", map.namespace(ns));
        return out;
    }
}
