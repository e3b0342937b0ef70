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

    AdmittingDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, StructuralSchema schema) {
        super(responses);
        this.schema = schema;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        String path = request.getPath();
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
        ObjectNode status = Json.object()
                .put("apiVersion", "v1")
                .put("kind", "Status")
                .put("status", "Failure")
                .put("reason", "Invalid")
                .put("code", 422);
        status.put(
                "message",
                who + " " + object.path("metadata").path("namespace").asText() + "/"
                        + object.path("metadata").path("name").asText() + ": "
                        + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        return new MockResponse()
                .setResponseCode(422)
                .setHeader("Content-Type", "application/json")
                .setBody(Json.compact(status));
    }
}
