package io.vmconfig.adapters.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.velero.proto.generated.OperationProgress;
import io.vmconfig.adapters.velero.proto.generated.ResourceIdentifier;
import io.vmconfig.adapters.velero.proto.generated.ResourceSelector;
import io.vmconfig.core.velero.Items;
import io.vmconfig.core.velero.PluginSpec;
import io.vmconfig.core.velero.ResourceRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translations between core values and Velero's shared messages. */
final class Wire {
    private Wire() {}

    static ResourceSelector selector(PluginSpec spec) {
        return ResourceSelector.newBuilder()
                .addAllIncludedResources(spec.resources())
                .build();
    }

    static List<ResourceIdentifier> identifiers(List<ResourceRef> refs) {
        return refs.stream()
                .map(r -> ResourceIdentifier.newBuilder()
                        .setGroup(r.group())
                        .setResource(r.resource())
                        .setNamespace(r.namespace())
                        .setName(r.name())
                        .build())
                .toList();
    }

    /**
     * This plugin starts no asynchronous operation, so any operation Velero asks about is reported finished with an
     * error; the progress message is always set because Velero reads it without a nil check.
     */
    static OperationProgress noSuchOperation(String plugin, String operationId) {
        return OperationProgress.newBuilder()
                .setCompleted(true)
                .setErr(plugin + " started no operation " + (operationId.isEmpty() ? "<empty>" : operationId))
                .build();
    }

    /** Log fields for one item: the backup or restore name and the item's namespace and name. */
    static Map<String, String> fields(String plugin, String ownerKey, JsonNode owner, JsonNode item) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("plugin", plugin);
        f.put(ownerKey, Items.metadata(owner, "name"));
        f.put("namespace", Items.metadata(item, "namespace"));
        f.put("name", Items.metadata(item, "name"));
        return f;
    }
}
