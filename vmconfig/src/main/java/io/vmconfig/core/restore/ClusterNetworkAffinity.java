package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Harvester pins VLAN VMs to nodes with {@code network.harvesterhci.io/<clusternetwork>}; DR names may differ. */
final class ClusterNetworkAffinity {
    static final String KEY_PREFIX = "network.harvesterhci.io/";

    private ClusterNetworkAffinity() {}

    static void remap(ObjectNode templateSpec, VolumeMap map) {
        if (map.clusterNetworks().isEmpty()) {
            return;
        }
        JsonNode node = templateSpec.path("affinity").path("nodeAffinity");
        for (JsonNode term :
                node.path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms")) {
            remapExpressions(term, map);
        }
        for (JsonNode pref : node.path("preferredDuringSchedulingIgnoredDuringExecution")) {
            remapExpressions(pref.path("preference"), map);
        }
        JsonNode selector = templateSpec.get("nodeSelector");
        if (selector != null && selector.isObject()) {
            ObjectNode renamed = templateSpec.objectNode();
            selector.fields().forEachRemaining(e -> renamed.set(remapKey(e.getKey(), map), e.getValue()));
            templateSpec.set("nodeSelector", renamed);
        }
    }

    private static void remapExpressions(JsonNode term, VolumeMap map) {
        for (JsonNode expr : term.path("matchExpressions")) {
            if (expr.isObject() && expr.path("key").isTextual()) {
                ((ObjectNode) expr).put("key", remapKey(expr.get("key").asText(), map));
            }
        }
    }

    private static String remapKey(String key, VolumeMap map) {
        if (!key.startsWith(KEY_PREFIX)) {
            return key;
        }
        return KEY_PREFIX + map.clusterNetwork(key.substring(KEY_PREFIX.length()));
    }
}
