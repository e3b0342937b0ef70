package io.vmconfig.adapters.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.vm.Admission;
import io.vmconfig.core.vm.StructuralSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The mock API server made strict like a real one for VirtualMachines: every VM created or replaced passes KubeVirt's
 * admission rules and the served CRD's structural schema, or the write is refused with 422 Invalid naming every
 * reason, as KubeVirt's validating webhook and the API server would. Nothing is pruned or fixed up.
 *
 * <p>Every other CustomResourceDefinition created through the API (vmconfig's VolumeMap and ConfigSync, from
 * deploy/crds) is held too: a custom resource of it created or replaced (its status subresource included) must pass
 * that CRD's structural schema (types, unknown fields, enum, required, maxItems), as a real API server with strict
 * field validation (kubectl's default) would refuse it.
 *
 * <p>Lists are paginated as a real API server paginates them, which fabric8's CRUD mock does not (it ignores
 * {@code limit} and {@code continue}): a list with {@code limit} N answers at most N objects in key order (namespace,
 * name, as etcd keys sort) and a {@code metadata.continue} token while more remain; the token names the last key
 * answered, so the next page starts after it (objects created meanwhile after that key are included, as etcd's
 * range read would), and a token this server did not give is refused 400, as a real one refuses it.
 */
final class AdmittingDispatcher extends KubernetesMixedDispatcher {
    private static final Pattern VM_PATH =
            Pattern.compile("^/apis/kubevirt\\.io/[^/]+/namespaces/[^/]+/virtualmachines(/[^/?]+)?(\\?.*)?$");
    private static final Pattern CRD_PATH =
            Pattern.compile("^/apis/apiextensions\\.k8s\\.io/v1/customresourcedefinitions(/[^/?]+)?(\\?.*)?$");
    private static final Pattern CR_PATH =
            Pattern.compile("^/apis/([^/]+)/([^/]+)/(?:namespaces/[^/]+/)?([^/?]+)(?:/[^/?]+(/status)?)?(?:\\?.*)?$");
    private final StructuralSchema schema;
    /** The schemas of the CRDs created through the API, by "group/version/plural". */
    private final Map<String, StructuralSchema> held = new java.util.concurrent.ConcurrentHashMap<>();

    /** The expectations a test set ({@code server.expect()}): they answer before anything this server emulates. */
    private final Map<ServerRequest, Queue<ServerResponse>> expected;

    AdmittingDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, StructuralSchema schema) {
        super(responses);
        this.expected = responses;
        this.schema = schema;
    }

    private boolean expected(String method, String path) {
        Queue<ServerResponse> q = expected.get(new io.fabric8.mockwebserver.internal.SimpleRequest(
                io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(method), path));
        return q != null && !q.isEmpty();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        String path = request.getPath();
        if ("GET".equals(method) && path.contains("limit=") && !expected(method, path)) {
            io.vmconfig.adapters.kube.ApiRequest r =
                    io.vmconfig.adapters.kube.ApiRequest.of(method, java.net.URI.create(path));
            if (r != null && r.verb().equals("list")) {
                return page(request);
            }
        }
        if ("PUT".equals(method)
                && path.contains("?")
                && path.substring(0, path.indexOf('?')).endsWith("/status")) {
            // fabric8's mock tells a status-subresource write by the path's end, which the query
            // (?fieldManager=vmconfig, as the ApiMeter adds to every write) hides; a real API server reads the path
            request = new RecordedRequest(
                    request.getHttpVersion(),
                    request.method(),
                    path.substring(0, path.indexOf('?')),
                    request.getHeaders(),
                    request.getBody());
        }
        if (("POST".equals(method) || "PUT".equals(method))
                && VM_PATH.matcher(request.getPath()).matches()) {
            JsonNode vm = Json.parse(
                    new String(request.getBody().getBytes(), StandardCharsets.UTF_8),
                    "request body of " + method + " " + request.getPath());
            List<Problem> problems = Admission.check(vm, Optional.of(schema));
            if (!problems.isEmpty()) {
                return invalid(vm, problems);
            }
        } else if ("POST".equals(method) || "PUT".equals(method)) {
            java.util.regex.Matcher crd = CRD_PATH.matcher(request.getPath());
            java.util.regex.Matcher cr = CR_PATH.matcher(request.getPath());
            if (crd.matches()) {
                hold(body(request));
            } else if (cr.matches() && held.containsKey(cr.group(1) + "/" + cr.group(2) + "/" + cr.group(3))) {
                JsonNode object = body(request);
                List<Problem> problems = held.get(cr.group(1) + "/" + cr.group(2) + "/" + cr.group(3))
                        .check(object);
                if (!problems.isEmpty()) {
                    return invalid(
                            object,
                            problems,
                            "the API server refused " + object.path("kind").asText());
                }
            }
        }
        return super.dispatch(request);
    }

    /** A list with {@code limit}: the whole list from the store, answered a page at a time. */
    private MockResponse page(RecordedRequest request) {
        String path = request.getPath();
        String base = path.substring(0, path.indexOf('?'));
        List<String> kept = new java.util.ArrayList<>();
        int limit = 0;
        String after = null;
        for (String param : path.substring(path.indexOf('?') + 1).split("&")) {
            String value = java.net.URLDecoder.decode(param.substring(param.indexOf('=') + 1), StandardCharsets.UTF_8);
            if (param.startsWith("limit=")) {
                limit = Integer.parseInt(value);
            } else if (param.startsWith("continue=")) {
                after = continueKey(value);
                if (after == null) {
                    return Rbac.status(400, "BadRequest", "invalid continue token " + value);
                }
            } else {
                kept.add(param);
            }
        }
        MockResponse all = super.dispatch(new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                kept.isEmpty() ? base : base + "?" + String.join("&", kept),
                request.getHeaders(),
                request.getBody()));
        if (all.code() != 200 || limit <= 0) {
            return all;
        }
        ObjectNode list = (ObjectNode) Json.parse(new String(all.getBody().getBytes(), StandardCharsets.UTF_8), path);
        List<JsonNode> items = new java.util.ArrayList<>();
        list.path("items").forEach(items::add);
        items.sort(java.util.Comparator.comparing(AdmittingDispatcher::key));
        String from = after;
        List<JsonNode> rest = items.stream()
                .filter(i -> from == null || key(i).compareTo(from) > 0)
                .toList();
        List<JsonNode> page = rest.subList(0, Math.min(limit, rest.size()));
        list.putArray("items").addAll(page);
        ObjectNode metadata = list.with("metadata");
        if (rest.size() > page.size()) {
            metadata.put("continue", continueToken(key(page.get(page.size() - 1))));
            metadata.put("remainingItemCount", rest.size() - page.size());
        } else {
            metadata.remove(List.of("continue", "remainingItemCount"));
        }
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(Json.compact(list));
    }

    /** An object's place in a list: its etcd key's order (namespace, then name). */
    private static String key(JsonNode item) {
        return item.path("metadata").path("namespace").asText("") + "/"
                + item.path("metadata").path("name").asText("");
    }

    private static final String TOKEN_PREFIX = "embedded-kube:after:";

    private static String continueToken(String key) {
        return java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((TOKEN_PREFIX + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The key a token of this server continues after; null for any other token. */
    private static String continueKey(String token) {
        try {
            String t = new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return t.startsWith(TOKEN_PREFIX) ? t.substring(TOKEN_PREFIX.length()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode body(RecordedRequest request) {
        return Json.parse(
                new String(request.getBody().getBytes(), StandardCharsets.UTF_8),
                "request body of " + request.getMethod() + " " + request.getPath());
    }

    /** Keeps the schema of every version of a CRD written through the API (KubeVirt's VM CRD has its own check). */
    private void hold(JsonNode crd) {
        String group = crd.path("spec").path("group").asText();
        String plural = crd.path("spec").path("names").path("plural").asText();
        if (group.equals("kubevirt.io") && plural.equals("virtualmachines")) {
            return;
        }
        for (JsonNode v : crd.path("spec").path("versions")) {
            String version = v.path("name").asText();
            StructuralSchema.fromCrd(crd, version)
                    .ifPresent(s -> held.put(group + "/" + version + "/" + plural, s.withValueRules()));
        }
    }

    private static MockResponse invalid(JsonNode vm, List<Problem> problems) {
        return invalid(
                vm,
                problems,
                "admission webhook \"virtualmachine-validator.kubevirt.io\" denied the request"
                        + " for VirtualMachine");
    }

    private static MockResponse invalid(JsonNode object, List<Problem> problems, String who) {
        return Rbac.status(
                422,
                "Invalid",
                who + " " + object.path("metadata").path("namespace").asText() + "/"
                        + object.path("metadata").path("name").asText() + ": "
                        + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    }
}
