package io.vmconfig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.repo.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Secrets are never printed: each value of a Secret's data is replaced by a short hash, so changes still show. */
final class Redact {
    private Redact() {}

    static JsonNode secrets(JsonNode bundle) {
        JsonNode copy = bundle.deepCopy();
        for (JsonNode dep : copy.path("dependencies")) {
            if ("Secret".equals(dep.path("kind").asText()) && dep instanceof ObjectNode o) {
                redact(o, "data");
                redact(o, "stringData");
            }
        }
        return copy;
    }

    private static void redact(ObjectNode secret, String field) {
        if (!(secret.get(field) instanceof ObjectNode data)) {
            return;
        }
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            String hash = Digest.sha256(data.get(n).asText().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 12);
            data.put(n, "<redacted sha256:" + hash + ">");
        }
    }
}
