package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * ConfigSync objects (deploy/crds) on the DR cluster: read them and the Secrets their spec names, and write their
 * status, only ever through the status subresource (a 409 is retried on a fresh read, whose spec is kept as read).
 */
public final class ConfigSyncs {
    private final KubeCluster dr;

    public ConfigSyncs(KubeCluster dr) {
        this.dr = dr;
    }

    public ObjectNode get(VmRef ref) {
        return dr.get(KubeKind.CONFIG_SYNC, ref.namespace(), ref.name())
                .orElseThrow(() -> VmConfigException.config("ConfigSync " + ref + " is not on " + dr.name()));
    }

    /** Every ConfigSync in {@code namespace}. */
    public List<ObjectNode> list(String namespace) {
        return dr.list(KubeKind.CONFIG_SYNC, namespace, null);
    }

    /**
     * The text of key {@code ref.key} (else {@code defaultKey}) of the Secret {@code ref.name} in {@code namespace}, if
     * the spec names one ({@code ref} missing: empty). Never logged; a missing Secret or key is named, not shown.
     */
    public Optional<String> secretText(String namespace, JsonNode ref, String defaultKey) {
        if (ref == null || ref.isMissingNode() || ref.isNull()) {
            return Optional.empty();
        }
        String name = ref.path("name").asText();
        String key = ref.path("key").asText(defaultKey);
        ObjectNode secret = dr.get(KubeKind.SECRET, namespace, name)
                .orElseThrow(() -> VmConfigException.config(
                        "Secret " + namespace + "/" + name + " named by the spec is not on " + dr.name()));
        JsonNode data = secret.path("data").path(key);
        if (!data.isTextual()) {
            throw VmConfigException.config("Secret " + namespace + "/" + name + " has no key '" + key + "'");
        }
        try {
            return Optional.of(new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw VmConfigException.config("Secret " + namespace + "/" + name + " key '" + key + "' is not base64");
        }
    }

    /** Writes {@code status} on the ConfigSync through its status subresource. */
    public void writeStatus(ObjectNode configSync, ObjectNode status) {
        writeStatus(dr, KubeKind.CONFIG_SYNC, configSync, status);
    }

    /**
     * Writes {@code status} on {@code object} of {@code kind} through its status subresource only, retrying a 409 on a
     * fresh read (whose spec is kept as read).
     */
    static void writeStatus(KubeCluster dr, KubeKind kind, ObjectNode object, ObjectNode status) {
        ObjectNode cur = object;
        for (int attempt = 1; ; attempt++) {
            ObjectNode next = cur.deepCopy();
            next.set("status", status);
            try {
                dr.updateStatus(kind, next);
                return;
            } catch (VmConfigException e) {
                if (!KubeErrors.isConflict(e) || attempt >= KubeApplier.CONFLICT_RETRIES) {
                    throw e;
                }
                String ns = cur.path("metadata").path("namespace").asText(null);
                String name = cur.path("metadata").path("name").asText();
                cur = dr.get(kind, ns, name)
                        .orElseThrow(() -> VmConfigException.config(kind.kind() + " " + (ns == null ? "" : ns + "/")
                                + name + " is gone from " + dr.name()));
            }
        }
    }
}
