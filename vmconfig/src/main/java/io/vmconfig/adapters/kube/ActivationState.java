package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import java.time.Clock;
import java.util.Optional;

/**
 * Whether the DR site was activated (failed over), kept in ConfigMap {@code vmconfig-state} (namespace
 * {@code vmconfig-system} unless configured), key {@code activated}. Absent means not activated.
 */
public final class ActivationState {
    public static final String DEFAULT_NAMESPACE = "vmconfig-system";
    public static final String NAME = "vmconfig-state";
    private final KubeCluster dr;
    private final String namespace;
    private final Clock clock;

    public ActivationState(KubeCluster dr, String namespace, Clock clock) {
        this.dr = dr;
        this.namespace = namespace;
        this.clock = clock;
    }

    public boolean activated() {
        return current()
                .map(c -> "true".equals(c.path("data").path("activated").asText()))
                .orElse(false);
    }

    public void set(boolean activated) {
        Optional<ObjectNode> cur = current();
        ObjectNode cm = cur.map(ObjectNode::deepCopy).orElseGet(() -> {
            ObjectNode o = Json.object();
            o.put("apiVersion", "v1").put("kind", "ConfigMap");
            o.putObject("metadata")
                    .put("namespace", namespace)
                    .put("name", NAME)
                    .putObject("labels")
                    .put(Annotations.MANAGED_LABEL, "true");
            return o;
        });
        ObjectNode data = Json.ensureObject(cm, "data");
        data.put("activated", Boolean.toString(activated));
        data.put(activated ? "activatedAt" : "deactivatedAt", clock.instant().toString());
        if (cur.isPresent()) {
            dr.update(KubeKind.CONFIG_MAP, cm);
        } else {
            dr.create(KubeKind.CONFIG_MAP, cm);
        }
    }

    private Optional<ObjectNode> current() {
        return dr.get(KubeKind.CONFIG_MAP, namespace, NAME);
    }
}
