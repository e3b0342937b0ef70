package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.SourcedObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a production cluster for a backup, strictly read-only and with list calls only: the VMs (optionally by
 * label selector) and every object kind a config-only VM can depend on, in one namespace or all, as
 * {@code kubectl get vm,secret,configmap,serviceaccount,controllerrevision,pvc -o yaml} would. The result goes to
 * the same export batch as files do.
 */
public final class SourceReader {
    private final KubeCluster source;

    public SourceReader(KubeCluster source) {
        this.source = source;
    }

    /** {@code namespace} null means all namespaces. */
    public List<SourcedObject> read(String namespace, String labelSelector) {
        List<SourcedObject> out = new ArrayList<>();
        List<ObjectNode> vms = source.list(KubeKind.VM, namespace, labelSelector);
        vms.forEach(vm -> out.add(of(vm)));
        if (vms.isEmpty()) {
            return out;
        }
        for (KubeKind k : KubeKind.SOURCE_DEPENDENCIES) {
            source.list(k, namespace, null).forEach(o -> out.add(of(o)));
        }
        return out;
    }

    private SourcedObject of(ObjectNode o) {
        String ns = o.path("metadata").path("namespace").asText("");
        return new SourcedObject(source.name() + ":" + o.path("kind").asText() + "/" + (ns.isEmpty() ? "" : ns + "/")
                + o.path("metadata").path("name").asText(), o);
    }
}
