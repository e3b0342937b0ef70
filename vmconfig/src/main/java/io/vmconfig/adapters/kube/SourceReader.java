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
    private final java.util.Set<String> unreadableSecrets = new java.util.TreeSet<>();

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
            if (k.equals(KubeKind.SECRET)) {
                secrets(namespace, vms).forEach(o -> out.add(of(o)));
            } else {
                source.list(k, namespace, null).forEach(o -> out.add(of(o)));
            }
        }
        return out;
    }

    /**
     * The namespaces of the last read whose Secrets the caller may not list (403): their VMs' Secrets are not in the
     * input, which the backup must not pass over in silence.
     */
    public java.util.Set<String> unreadableSecrets() {
        return java.util.Collections.unmodifiableSet(unreadableSecrets);
    }

    /** Secrets, and where the caller may not list them across namespaces, each VM namespace on its own. */
    private List<ObjectNode> secrets(String namespace, List<ObjectNode> vms) {
        try {
            return source.list(KubeKind.SECRET, namespace, null);
        } catch (io.vmconfig.core.VmConfigException e) {
            if (!KubeErrors.isForbidden(e)) {
                throw e;
            }
        }
        if (namespace != null) {
            unreadableSecrets.add(namespace);
            return List.of();
        }
        List<ObjectNode> out = new ArrayList<>();
        for (String ns : new java.util.TreeSet<>(vms.stream()
                .map(v -> v.path("metadata").path("namespace").asText())
                .toList())) {
            try {
                out.addAll(source.list(KubeKind.SECRET, ns, null));
            } catch (io.vmconfig.core.VmConfigException e) {
                if (!KubeErrors.isForbidden(e)) {
                    throw e;
                }
                unreadableSecrets.add(ns);
            }
        }
        return out;
    }

    private SourcedObject of(ObjectNode o) {
        return of(source.name(), o);
    }

    /** {@code o} as read from {@code cluster}, with where it came from ({@code prod:Secret/ns/name}). */
    public static SourcedObject of(String cluster, ObjectNode o) {
        String ns = o.path("metadata").path("namespace").asText("");
        return new SourcedObject(
                cluster + ":" + o.path("kind").asText() + "/" + (ns.isEmpty() ? "" : ns + "/")
                        + o.path("metadata").path("name").asText(),
                o);
    }
}
