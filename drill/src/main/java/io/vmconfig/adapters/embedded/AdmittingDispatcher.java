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
 */
final class AdmittingDispatcher extends KubernetesMixedDispatcher {
    private static final Pattern VM_PATH = Pattern.compile("^/apis/kubevirt\\.io/[^/]+/namespaces/[^/]+/virtualmachines(/[^/?]+)?(\\?.*)?$");
    private final StructuralSchema schema;

    AdmittingDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, StructuralSchema schema) {
        super(responses);
        this.schema = schema;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        if (("POST".equals(method) || "PUT".equals(method)) && VM_PATH.matcher(request.getPath()).matches()) {
            JsonNode vm = Json.parse(new String(request.getBody().getBytes(), StandardCharsets.UTF_8),
                    "request body of " + method + " " + request.getPath());
            List<Problem> problems = Admission.check(vm, Optional.of(schema));
            if (!problems.isEmpty()) {
                return invalid(vm, problems);
            }
        }
        return super.dispatch(request);
    }

    private static MockResponse invalid(JsonNode vm, List<Problem> problems) {
        ObjectNode status = Json.object().put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
                .put("reason", "Invalid").put("code", 422);
        status.put("message", "admission webhook \"virtualmachine-validator.kubevirt.io\" denied the request for"
                + " VirtualMachine " + vm.path("metadata").path("namespace").asText() + "/"
                + vm.path("metadata").path("name").asText() + ": "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
                .setBody(Json.compact(status));
    }
}
