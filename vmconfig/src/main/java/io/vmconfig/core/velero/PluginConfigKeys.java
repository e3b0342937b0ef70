package io.vmconfig.core.velero;

import io.vmconfig.core.VmConfigException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a plugin ConfigMap may hold. A key the plugin does not read is an error naming it, not a setting that
 * silently does nothing (a misspelt {@code repositoryKeySecret} would otherwise leave Secret data unencrypted).
 */
public final class PluginConfigKeys {
    /** Keys that older releases documented, with what replaces them. */
    private static final Map<String, String> RETIRED = Map.of(
            "sourceCluster",
            "the source cluster's name is given to the sealer (vmconfig seal --source-cluster), which writes the set");

    private PluginConfigKeys() {}

    /** Throws a configuration error naming {@code configMap}, every unknown key and the keys it may hold. */
    public static void check(Map<String, String> data, Set<String> known, String configMap) {
        Set<String> unknown = new TreeSet<>(data.keySet());
        unknown.removeAll(known);
        if (unknown.isEmpty()) {
            return;
        }
        StringBuilder m = new StringBuilder("ConfigMap ")
                .append(configMap)
                .append(" has ")
                .append(unknown.size() == 1 ? "a key" : "keys")
                .append(" the plugin does not read: ")
                .append(String.join(", ", unknown))
                .append(" (it reads ")
                .append(String.join(", ", new TreeSet<>(known)))
                .append(')');
        for (String k : unknown) {
            if (RETIRED.containsKey(k)) {
                m.append("; ").append(k).append(" is no longer read: ").append(RETIRED.get(k));
            }
        }
        throw VmConfigException.config(m.toString());
    }
}
