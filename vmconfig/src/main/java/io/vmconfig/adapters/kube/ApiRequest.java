package io.vmconfig.adapters.kube;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One Kubernetes API request as RBAC sees it: verb (get, list, watch, create, update, patch, delete,
 * deletecollection), API group, resource (with subresource as {@code resource/sub}) and namespace (null when
 * cluster-wide). Read from the method and path, the way the API server's request-info resolver does; used by the
 * {@link ApiMeter} (requests and errors by verb) and by the test that compares the verbs used with deploy/'s Roles.
 */
public record ApiRequest(String verb, String group, String resource, String namespace, String name) {

    /**
     * A SelfSubjectAccessReview or SelfSubjectReview: a POST that asks the API server a question and stores nothing,
     * so it is counted as a read (a run that writes nothing still asks who it is and what it may do).
     */
    public boolean review() {
        return "create".equals(verb)
                && (("authorization.k8s.io".equals(group) && resource.endsWith("accessreviews"))
                        || ("authentication.k8s.io".equals(group) && resource.equals("selfsubjectreviews")));
    }

    /** {@code null} for paths that are not resource requests (discovery, /version, /healthz). */
    public static ApiRequest of(String method, URI uri) {
        String path = uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        List<String> p = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                p.add(s);
            }
        }
        String group;
        int i;
        if (p.size() >= 2 && p.get(0).equals("api")) {
            group = "";
            i = 2;
        } else if (p.size() >= 3 && p.get(0).equals("apis")) {
            group = p.get(1);
            i = 3;
        } else {
            return null;
        }
        String namespace = null;
        if (p.size() > i + 2 && p.get(i).equals("namespaces")) {
            namespace = p.get(i + 1);
            i += 2;
        }
        if (p.size() <= i) {
            return null;
        }
        String resource = p.get(i);
        String name = p.size() > i + 1 ? p.get(i + 1) : null;
        if (p.size() > i + 2) {
            resource = resource + "/" + p.get(i + 2);
        }
        if (namespace == null && resource.equals("namespaces") && name != null) {
            // /api/v1/namespaces/NAME: the namespace object itself
            namespace = null;
        }
        String verb = switch (method.toUpperCase(java.util.Locale.ROOT)) {
            case "GET", "HEAD" ->
                name != null ? "get" : query.contains("watch=true") || query.contains("watch=1") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return new ApiRequest(verb, group, resource, namespace, name);
    }
}
