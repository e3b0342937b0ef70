package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.sync.SiteActivation;
import io.vmconfig.core.vm.Annotations;
import java.time.Clock;
import java.util.Optional;

/**
 * Whether the DR site was activated (failed over), kept in ConfigMap {@code vmconfig-state} (namespace
 * {@code vmconfig-system} unless configured), key {@code activated}. Absent means not activated. Key
 * {@code failedBack} lists, one {@code NAMESPACE/NAME} a line, the DR VMs failed back (to production) while the site
 * stayed activated: a failback of a subset hands exactly those back to sync. Activating or deactivating the whole
 * site clears the list.
 */
public final class ActivationState {
    public static final String DEFAULT_NAMESPACE = "vmconfig-system";
    public static final String NAME = "vmconfig-state";
    public static final String FAILED_BACK = "failedBack";
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

    /**
     * The site's state in one read: activated, and the VMs failed back since (empty when not activated). The one
     * reader of this ConfigMap for sync and the plugin's vm-restore alike.
     */
    public SiteActivation site() {
        Optional<ObjectNode> cur = current();
        boolean on = cur.map(c -> "true".equals(c.path("data").path("activated").asText()))
                .orElse(false);
        return new SiteActivation(on, on ? failedBack(cur.get()) : java.util.Set.of());
    }

    private static java.util.Set<io.vmconfig.core.vm.VmRef> failedBack(ObjectNode cm) {
        java.util.Set<io.vmconfig.core.vm.VmRef> out = new java.util.TreeSet<>();
        for (String line : cm.path("data").path(FAILED_BACK).asText("").split("\n")) {
            String[] p = line.trim().split("/", 2);
            if (p.length == 2 && !p[0].isEmpty() && !p[1].isEmpty()) {
                out.add(new io.vmconfig.core.vm.VmRef(p[0], p[1]));
            }
        }
        return out;
    }

    /**
     * Records {@code vms} as failed back: while the site stays activated, sync keeps them in step again and every
     * other VM stays left alone. Nothing is recorded when the site is not activated (per-VM marks say it all).
     */
    public void failedBack(java.util.Collection<io.vmconfig.core.vm.VmRef> vms) {
        Optional<ObjectNode> cur = current();
        if (cur.isEmpty()
                || !"true".equals(cur.get().path("data").path("activated").asText())) {
            return;
        }
        java.util.Set<io.vmconfig.core.vm.VmRef> all = failedBack(cur.get());
        if (all.addAll(vms)) {
            ObjectNode cm = cur.get().deepCopy();
            ObjectNode data = Json.ensureObject(cm, "data");
            data.put(
                    FAILED_BACK,
                    String.join("\n", all.stream().map(Object::toString).toList()));
            data.put("failedBackAt", clock.instant().toString());
            dr.update(KubeKind.CONFIG_MAP, cm);
        }
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
        data.remove(FAILED_BACK); // the whole site, either way
        data.remove("failedBackAt");
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
