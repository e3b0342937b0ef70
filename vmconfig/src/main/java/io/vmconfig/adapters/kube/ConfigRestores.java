package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.access.TenantPolicy;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ConfigRestore requests (namespaced) and RepositoryGrants (cluster-scoped) on the cluster (deploy/crds): read them,
 * translate them into the tenant policy's values, read the Secrets they name, and write a request's status through
 * the status subresource only. Decides nothing: {@link TenantPolicy} does.
 */
public final class ConfigRestores {
    private final KubeCluster cluster;

    public ConfigRestores(KubeCluster cluster) {
        this.cluster = cluster;
    }

    /** Every ConfigRestore in every namespace. */
    public List<ObjectNode> list() {
        return cluster.list(KubeKind.CONFIG_RESTORE, null, null);
    }

    /** Every RepositoryGrant (cluster-scoped). */
    public List<ObjectNode> grants() {
        return cluster.list(KubeKind.REPOSITORY_GRANT, null, null);
    }

    public static VmRef ref(ObjectNode object) {
        return new VmRef(
                object.path("metadata").path("namespace").asText(),
                object.path("metadata").path("name").asText());
    }

    /** A RepositoryGrant as the policy reads it: its URL and, per target namespace, the source namespaces. */
    public static TenantPolicy.Grant grant(ObjectNode object) {
        Map<String, List<String>> sources = new TreeMap<>();
        for (JsonNode n : object.path("spec").path("namespaces")) {
            List<String> from = new ArrayList<>();
            n.path("sourceNamespaces").forEach(s -> from.add(s.asText()));
            sources.computeIfAbsent(n.path("target").asText(), k -> new ArrayList<>())
                    .addAll(from);
        }
        return new TenantPolicy.Grant(
                object.path("metadata").path("name").asText(),
                object.path("spec").path("repository").path("url").asText(),
                sources);
    }

    /** A ConfigRestore as the policy reads it; a request missing what its schema requires is invalid input. */
    public static TenantPolicy.Request request(ObjectNode object) {
        VmRef ref = ref(object);
        JsonNode spec = object.path("spec");
        String url = spec.path("repository").path("url").asText("");
        String source = spec.path("sourceNamespace").asText("");
        if (url.isEmpty() || source.isEmpty()) {
            throw new VmConfigException(
                    VmConfigException.Kind.INVALID_INPUT,
                    "ConfigRestore " + ref + " needs spec.repository.url and spec.sourceNamespace");
        }
        TenantPolicy.Mode mode;
        try {
            mode = TenantPolicy.Mode.valueOf(spec.path("mode").asText("restore").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VmConfigException(
                    VmConfigException.Kind.INVALID_INPUT,
                    "ConfigRestore " + ref + " spec.mode must be restore or import");
        }
        return new TenantPolicy.Request(ref.namespace(), ref.name(), url, source, mode);
    }

    /** The grant object of that name among {@code grants}. */
    public static ObjectNode named(List<ObjectNode> grants, String name) {
        return grants.stream()
                .filter(g -> g.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> VmConfigException.config("RepositoryGrant " + name + " is gone"));
    }

    /**
     * The text of a Secret key, from the grant's reference (its Secret in the namespace the grant names) or the
     * request's (its Secret in the request's namespace), as {@link TenantPolicy#secretFrom} says; {@code field} the
     * reference's path in both specs, e.g. {@code /verifyKeySecretRef}.
     */
    public Optional<String> secretText(ObjectNode grant, ObjectNode request, String field, String defaultKey) {
        ConfigSyncs secrets = new ConfigSyncs(cluster);
        JsonNode granted = grant.path("spec").at(field);
        JsonNode requested = request.path("spec").at(field);
        return switch (TenantPolicy.secretFrom(granted.isObject(), requested.isObject())) {
            case GRANT -> secrets.secretText(granted.path("namespace").asText(), granted, defaultKey);
            case REQUEST -> secrets.secretText(ref(request).namespace(), requested, defaultKey);
            case NONE -> Optional.empty();
        };
    }

    /** Writes {@code status} on the ConfigRestore through its status subresource. */
    public void writeStatus(ObjectNode request, ObjectNode status) {
        ConfigSyncs.writeStatus(cluster, KubeKind.CONFIG_RESTORE, request, status);
    }
}
