package io.vmconfig.core.repo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Canonical JSON (repository-format.md §3): sorted keys, no whitespace, UTF-8; strict on reading. */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CanonicalJson() {}

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(sorted(node));
        } catch (JsonProcessingException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot write JSON", e);
        }
    }

    /** Parses an object read from the repository; anything else is an INTEGRITY failure naming {@code what}. */
    public static ObjectNode parseObject(byte[] data, String what) {
        try {
            JsonNode n = MAPPER.readTree(data);
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is not valid JSON", e);
        }
        throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is not a JSON object");
    }

    static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = object();
            for (String n : names) {
                out.set(n, sorted(o.get(n)));
            }
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = array();
            a.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }

    /** A required text field, or an INTEGRITY failure. */
    public static String text(JsonNode o, String field, String what) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY, what + ": missing text field '" + field + "'");
        }
        return n.asText();
    }

    /** A required integer field, or an INTEGRITY failure. */
    public static long integer(JsonNode o, String field, String what) {
        JsonNode n = o.get(field);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY, what + ": missing integer field '" + field + "'");
        }
        return n.asLong();
    }
}
