package io.vmconfig.adapters.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authentication and RBAC authorization in front of the in-process API server, as kube-apiserver does them: a bearer
 * token names a user and its groups (an unknown token is 401 Unauthorized); every resource request is allowed only
 * when a ClusterRoleBinding, or a RoleBinding in the request's namespace, binds the user (by name, group or service
 * account) to a Role or ClusterRole with a rule covering the verb, API group, resource (subresources as
 * {@code resource/sub}, {@code *}, {@code *}/sub) and, where the rule names them, the object's name; else 403
 * Forbidden with the API server's message. Group {@code system:masters} is the superuser (cluster-admin). The Roles
 * and bindings are the objects the server holds, read on every request, so a test grants by creating them.
 *
 * <p>{@code SelfSubjectAccessReview} (authorization.k8s.io/v1) and {@code SelfSubjectReview} (authentication.k8s.io/v1)
 * are answered from the same rules for any authenticated user (what {@code system:basic-user} grants) and never
 * stored. The kubeconfig's default token and the mock's own client (which seeds the server) are the superuser
 * {@value #ADMIN_NAME}; a request without a token is refused (no anonymous access).
 *
 * <p>Not modelled: aggregated ClusterRoles ({@code aggregationRule}), {@code nonResourceURLs} (discovery and other
 * non-resource paths are open to any authenticated user), impersonation, SelfSubjectRulesReview. A request refused
 * here never reaches {@link Faults}, so it is not among the requests it records.
 */
public final class Rbac extends Dispatcher {
    public static final String ADMIN_NAME = "kubernetes-admin";
    /** The token the default kubeconfig of {@link EmbeddedKube} carries. */
    public static final String ADMIN_TOKEN = "t";
    /** The token fabric8's {@code KubernetesMockServer.createClient} sends (the server's own seeding client). */
    public static final String MOCK_CLIENT_TOKEN = "secret";

    public static final String SUPERUSER_GROUP = "system:masters";
    public static final KubeKind ROLE = new KubeKind("rbac.authorization.k8s.io", "v1", "Role", "roles", true);
    public static final KubeKind CLUSTER_ROLE =
            new KubeKind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false);
    public static final KubeKind ROLE_BINDING =
            new KubeKind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true);
    public static final KubeKind CLUSTER_ROLE_BINDING =
            new KubeKind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false);
    private static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final String SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    /** An authenticated user as RBAC sees it. */
    public record User(String name, List<String> groups) {
        public User {
            groups = List.copyOf(groups);
        }
    }

    /** What one request asks for (kube-apiserver's authorizer attributes). */
    public record Attributes(
            String verb, String group, String resource, String subresource, String namespace, String name) {
        static Attributes of(ApiRequest r) {
            String[] res = r.resource().split("/", 2);
            // the namespace object itself is in its own namespace, as the request-info resolver says
            String ns = r.namespace() == null
                            && "namespaces".equals(res[0])
                            && r.group().isEmpty()
                            && r.name() != null
                    ? r.name()
                    : r.namespace();
            return new Attributes(r.verb(), r.group(), res[0], res.length > 1 ? res[1] : "", ns, r.name());
        }

        String combined() {
            return subresource.isEmpty() ? resource : resource + "/" + subresource;
        }
    }

    public static final User ADMIN = new User(ADMIN_NAME, List.of(SUPERUSER_GROUP, "system:authenticated"));

    private final Dispatcher next;
    private final Map<String, User> tokens = new ConcurrentHashMap<>();

    Rbac(Dispatcher next) {
        this.next = next;
        tokens.put(ADMIN_TOKEN, ADMIN);
        tokens.put(MOCK_CLIENT_TOKEN, ADMIN);
    }

    /** Registers a user; requests with {@code token} are then {@code user}. */
    public void addUser(String token, User user) {
        tokens.put(token, user);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Optional<User> user = authenticate(request.getHeader("Authorization"));
        if (user.isEmpty()) {
            return status(401, "Unauthorized", "Unauthorized");
        }
        URI uri = URI.create(request.getPath());
        boolean create = "POST".equalsIgnoreCase(request.getMethod());
        if (create && SSR.equals(uri.getRawPath())) {
            return selfSubjectReview(user.get());
        }
        if (create && SSAR.equals(uri.getRawPath())) {
            return selfSubjectAccessReview(user.get(), Json.parse(request.getUtf8Body(), "SelfSubjectAccessReview"));
        }
        ApiRequest r = ApiRequest.of(request.getMethod(), uri);
        if (r != null) {
            Attributes a = Attributes.of(r);
            if (!allowed(user.get(), a).isPresent()) {
                return status(403, "Forbidden", forbidden(user.get(), a));
            }
        }
        return next.dispatch(request);
    }

    private Optional<User> authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                tokens.get(authorization.substring("Bearer ".length()).trim()));
    }

    /**
     * Why {@code user} may do {@code a} (the binding that allows it, as the API server's reason says), or empty when
     * no binding does.
     */
    public Optional<String> allowed(User user, Attributes a) {
        if (user.groups().contains(SUPERUSER_GROUP)) {
            return Optional.of("RBAC: allowed by group " + SUPERUSER_GROUP);
        }
        for (JsonNode b : list(CLUSTER_ROLE_BINDING, null)) {
            if (binds(b, user)
                    && "ClusterRole".equals(b.at("/roleRef/kind").asText())
                    && covers(role(CLUSTER_ROLE, null, b.at("/roleRef/name").asText()), a)) {
                return Optional.of("RBAC: allowed by ClusterRoleBinding \""
                        + b.at("/metadata/name").asText()
                        + "\" of ClusterRole \"" + b.at("/roleRef/name").asText() + "\" to User \"" + user.name()
                        + "\"");
            }
        }
        if (a.namespace() != null) {
            for (JsonNode b : list(ROLE_BINDING, a.namespace())) {
                boolean cluster = "ClusterRole".equals(b.at("/roleRef/kind").asText());
                if (binds(b, user)
                        && covers(
                                cluster
                                        ? role(
                                                CLUSTER_ROLE,
                                                null,
                                                b.at("/roleRef/name").asText())
                                        : role(
                                                ROLE,
                                                a.namespace(),
                                                b.at("/roleRef/name").asText()),
                                a)) {
                    return Optional.of("RBAC: allowed by RoleBinding \""
                            + b.at("/metadata/name").asText() + "/"
                            + a.namespace() + "\" of " + b.at("/roleRef/kind").asText() + " \""
                            + b.at("/roleRef/name").asText() + "\" to User \"" + user.name() + "\"");
                }
            }
        }
        return Optional.empty();
    }

    private static boolean binds(JsonNode binding, User user) {
        for (JsonNode s : binding.path("subjects")) {
            String kind = s.path("kind").asText();
            String name = s.path("name").asText();
            if (("User".equals(kind) && name.equals(user.name()))
                    || ("Group".equals(kind) && user.groups().contains(name))
                    || ("ServiceAccount".equals(kind)
                            && ("system:serviceaccount:" + s.path("namespace").asText() + ":" + name)
                                    .equals(user.name()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean covers(Optional<JsonNode> role, Attributes a) {
        if (role.isEmpty()) {
            return false; // a binding to a role that does not exist grants nothing
        }
        for (JsonNode rule : role.get().path("rules")) {
            if (has(rule.path("verbs"), a.verb())
                    && has(rule.path("apiGroups"), a.group())
                    && resourceMatches(rule.path("resources"), a)
                    && nameMatches(rule.path("resourceNames"), a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (v.asText().equals("*") || v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean resourceMatches(JsonNode resources, Attributes a) {
        for (JsonNode v : resources) {
            String r = v.asText();
            if (r.equals("*")
                    || r.equals(a.combined())
                    || (!a.subresource().isEmpty() && r.equals("*/" + a.subresource()))) {
                return true;
            }
        }
        return false;
    }

    /** A rule that names objects covers only requests for one of them (never a create or a list). */
    private static boolean nameMatches(JsonNode names, Attributes a) {
        if (names.isEmpty()) {
            return true;
        }
        if (a.name() == null || a.name().isEmpty()) {
            return false;
        }
        for (JsonNode n : names) {
            if (n.asText().equals(a.name())) {
                return true;
            }
        }
        return false;
    }

    private Optional<JsonNode> role(KubeKind kind, String namespace, String name) {
        MockResponse r = next.dispatch(get(path(kind, namespace) + "/" + name));
        return r.code() == 200 ? Optional.of(body(r)) : Optional.empty();
    }

    private List<JsonNode> list(KubeKind kind, String namespace) {
        MockResponse r = next.dispatch(get(path(kind, namespace)));
        List<JsonNode> out = new ArrayList<>();
        if (r.code() == 200) {
            body(r).path("items").forEach(out::add);
        }
        return out;
    }

    private static String path(KubeKind kind, String namespace) {
        return "/apis/" + kind.apiVersion() + (namespace == null ? "" : "/namespaces/" + namespace) + "/"
                + kind.plural();
    }

    private static RecordedRequest get(String path) {
        return new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer());
    }

    private static JsonNode body(MockResponse r) {
        return Json.parse(new String(r.getBody().getBytes(), StandardCharsets.UTF_8), "RBAC object");
    }

    private MockResponse selfSubjectReview(User user) {
        ObjectNode o =
                Json.object().put("apiVersion", "authentication.k8s.io/v1").put("kind", "SelfSubjectReview");
        o.putObject("metadata");
        ObjectNode info = o.putObject("status").putObject("userInfo").put("username", user.name());
        user.groups().forEach(info.putArray("groups")::add);
        return json(201, o);
    }

    private MockResponse selfSubjectAccessReview(User user, JsonNode review) {
        JsonNode ra = review.path("spec").path("resourceAttributes");
        ObjectNode out =
                Json.object().put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectAccessReview");
        out.putObject("metadata");
        out.set("spec", review.path("spec").deepCopy());
        ObjectNode status = out.putObject("status");
        if (ra.isMissingNode()) {
            status.put("allowed", false).put("reason", "only resourceAttributes are served here");
            return json(201, out);
        }
        Attributes a = new Attributes(
                ra.path("verb").asText(),
                ra.path("group").asText(),
                ra.path("resource").asText(),
                ra.path("subresource").asText(),
                ra.path("namespace").asText().isEmpty()
                        ? null
                        : ra.path("namespace").asText(),
                ra.path("name").asText().isEmpty() ? null : ra.path("name").asText());
        Optional<String> why = allowed(user, a);
        status.put("allowed", why.isPresent());
        why.ifPresent(w -> status.put("reason", w));
        return json(201, out);
    }

    /** The API server's wording: {@code virtualmachines.kubevirt.io "web-01" is forbidden: User "u" cannot ...}. */
    static String forbidden(User user, Attributes a) {
        String qualified = a.group().isEmpty() ? a.resource() : a.resource() + "." + a.group();
        return qualified + (a.name() == null ? "" : " \"" + a.name() + "\"") + " is forbidden: User \"" + user.name()
                + "\" cannot " + a.verb() + " resource \"" + a.combined() + "\" in API group \"" + a.group() + "\""
                + (a.namespace() == null ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"");
    }

    /** A failure Status as the API server answers it. */
    static MockResponse status(int code, String reason, String message) {
        ObjectNode s = Json.object()
                .put("kind", "Status")
                .put("apiVersion", "v1")
                .put("status", "Failure")
                .put("message", message)
                .put("reason", reason)
                .put("code", code);
        return json(code, s);
    }

    private static MockResponse json(int code, ObjectNode body) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(Json.compact(body));
    }

    @Override
    public void shutdown() {
        next.shutdown();
    }
}
