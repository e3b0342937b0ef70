package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Which objects a Velero Backup selects: its namespace lists and its {@code labelSelector.matchLabels}. */
public final class BackupScope {
    private BackupScope() {}

    /** The Backup's matchLabels as a Kubernetes label selector, or null when it has none. */
    public static String labelSelector(JsonNode backup) {
        Map<String, String> labels = new TreeMap<>();
        backup.path("spec")
                .path("labelSelector")
                .path("matchLabels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        if (labels.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /** True when {@code namespace} is included ({@code *} or absent means all) and not excluded. */
    public static boolean includes(JsonNode backup, String namespace) {
        JsonNode spec = backup.path("spec");
        List<String> included = texts(spec.path("includedNamespaces"));
        List<String> excluded = texts(spec.path("excludedNamespaces"));
        return (included.isEmpty() || included.contains("*") || included.contains(namespace))
                && !excluded.contains(namespace);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
