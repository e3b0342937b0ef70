package io.vmconfig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.repo.RepositoryKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Secrets are never printed. Each value of a Secret's {@code data} / {@code stringData} becomes a keyed hash under a
 * sub-key of the repository key (so a change still shows, but whoever holds the output cannot test a guessed value
 * against it), or a bare marker when there is no key. A field that is not an object (a string, a list: malformed)
 * is replaced whole. repository-format.md §5.2.
 */
final class Redact {
    static final String MARKER = "<redacted>";

    private Redact() {}

    static JsonNode secrets(JsonNode bundle, Optional<RepositoryKey> key) {
        JsonNode copy = bundle.deepCopy();
        for (JsonNode dep : copy.path("dependencies")) {
            if ("Secret".equals(dep.path("kind").asText()) && dep instanceof ObjectNode o) {
                redact(o, "data", key);
                redact(o, "stringData", key);
            }
        }
        return copy;
    }

    private static void redact(ObjectNode secret, String field, Optional<RepositoryKey> key) {
        JsonNode value = secret.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!(value instanceof ObjectNode data)) {
            secret.put(field, MARKER);
            return;
        }
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            JsonNode v = data.get(n);
            byte[] bytes = (v.isTextual() ? v.asText() : v.toString()).getBytes(StandardCharsets.UTF_8);
            data.put(
                    n,
                    key.map(k -> "<redacted hmac:" + k.redactionTag(bytes) + ">")
                            .orElse(MARKER));
        }
    }
}
