package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.access.AccessCheck;
import io.vmconfig.core.access.ApiResource;
import io.vmconfig.core.access.Permission;
import io.vmconfig.core.json.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The cluster's answer to "who am I" (SelfSubjectReview, authentication.k8s.io/v1) and "may I" (one
 * SelfSubjectAccessReview, authorization.k8s.io/v1, per permission): what {@code kubectl auth whoami} and
 * {@code kubectl auth can-i} ask. Translates; the decision to refuse is the caller's. Both are POSTs that store
 * nothing, counted as reads by the {@link ApiMeter}.
 */
public final class KubeAccess implements AccessCheck {
    static final String SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private final KubeCluster cluster;
    private String user;

    public KubeAccess(KubeCluster cluster) {
        this.cluster = cluster;
    }

    /** The resource of an object vmconfig writes, from its apiVersion and kind. */
    public static ApiResource resource(ObjectNode doc) {
        KubeKind k =
                KubeKind.of(doc.path("apiVersion").asText(), doc.path("kind").asText());
        return new ApiResource(k.group(), k.plural(), k.namespaced());
    }

    /**
     * Whether namespace {@code ns} exists; a caller that may not read it is told it does (the missing {@code get}
     * is then listed by the access review, and creating it is not asked for in vain).
     */
    public boolean namespaceExists(String ns) {
        try {
            return cluster.get(KubeKind.NAMESPACE, null, ns).isPresent();
        } catch (VmConfigException e) {
            if (e.kind() == VmConfigException.Kind.CONFIG) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public synchronized String user() {
        if (user == null) {
            ObjectNode review =
                    Json.object().put("apiVersion", "authentication.k8s.io/v1").put("kind", "SelfSubjectReview");
            JsonNode answer = post(SSR, review, "ask who the caller is (SelfSubjectReview)");
            user = answer.path("status").path("userInfo").path("username").asText("");
            if (user.isEmpty()) {
                throw new VmConfigException(
                        VmConfigException.Kind.IO, "SelfSubjectReview on " + cluster.name() + " named no user");
            }
        }
        return user;
    }

    @Override
    public List<Permission> denied(Collection<Permission> wanted) {
        List<Permission> out = new ArrayList<>();
        for (Permission p : wanted) {
            ObjectNode review =
                    Json.object().put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectAccessReview");
            ObjectNode attrs = review.putObject("spec").putObject("resourceAttributes");
            String[] res = p.resource().split("/", 2);
            attrs.put("verb", p.verb()).put("group", p.group()).put("resource", res[0]);
            if (res.length > 1) {
                attrs.put("subresource", res[1]);
            }
            if (p.namespace() != null) {
                attrs.put("namespace", p.namespace());
            }
            JsonNode answer = post(SSAR, review, "ask whether the caller may " + p + " (SelfSubjectAccessReview)");
            if (!answer.path("status").path("allowed").asBoolean(false)) {
                out.add(p);
            }
        }
        return out;
    }

    private JsonNode post(String path, ObjectNode body, String what) {
        String answer = KubeErrors.call(
                what + " on " + cluster.name(), () -> cluster.client().raw(path, "POST", Json.compact(body)));
        if (answer == null) {
            throw new VmConfigException(
                    VmConfigException.Kind.IO, what + " on " + cluster.name() + ": the API server does not serve it");
        }
        return Json.parse(answer, what);
    }
}
