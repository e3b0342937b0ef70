package io.vmconfig.core.repo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Canonical JSON (repository-format.md §3): sorted keys, no whitespace, UTF-8; strict on reading. */
public final class CanonicalJson {
    /** Strict: a duplicate key is malformed, not the last one wins. Streaming only (JsonTrees): no mapper. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CanonicalJson() {}

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * {@code node} as canonical bytes, written straight from the tree with each object's keys in sorted order: the
     * same bytes as serialising a sorted copy of the tree, without building that copy of every bundle staged (a per-VM
     * cost of the Velero plugin's Execute, docs/benchmarks.md, issue 13, sixth session); scalars are written by the
     * generator itself, not through the mapper's serializer provider (one provider per leaf, eighth session).
     */
    public static byte[] bytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            JsonTrees.write(g, node, true);
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot write JSON", e);
        }
        return out.toByteArray();
    }

    /** Parses an object read from the repository; anything else is an INTEGRITY failure naming {@code what}. */
    public static ObjectNode parseObject(byte[] data, String what) {
        try (JsonParser p = FACTORY.createParser(data)) {
            JsonNode n = JsonTrees.read(p);
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is not valid JSON", e);
        }
        throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is not a JSON object");
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
