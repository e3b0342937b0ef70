package io.vmconfig.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.util.Optional;

/**
 * JSON tree helpers shared by every transform. VMs are handled as {@link ObjectNode} trees so that fields a newer
 * KubeVirt adds survive untouched; these helpers only read, or build new nodes, and never reorder fields.
 */
public final class Json {
    /** Inputs beyond these bounds are refused instead of exhausting memory or stack. */
    public static final int MAX_NESTING_DEPTH = 200;

    public static final long MAX_DOCUMENT_LENGTH = 64L * 1024 * 1024;

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxDocumentLength(MAX_DOCUMENT_LENGTH)
            .build();

    /** The streaming factory of {@link #parse} and {@link #compact}, with the bounds above. */
    private static final JsonFactory FACTORY =
            JsonFactory.builder().streamReadConstraints(LIMITS).build();

    /**
     * The data-binding mappers, built on first use: parsing and compact writing go through {@link JsonTrees}, so a
     * process that only handles trees (the Velero plugin's Execute) never builds one (docs/benchmarks.md, issue 13,
     * tenth session).
     */
    private static final class Mappers {
        static final ObjectMapper MAPPER = JsonMapper.builder().build();
        static final ObjectMapper PRETTY =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

        static {
            MAPPER.getFactory().setStreamReadConstraints(LIMITS);
            PRETTY.getFactory().setStreamReadConstraints(LIMITS);
        }
    }

    private Json() {}

    public static ObjectMapper mapper() {
        return Mappers.MAPPER;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** Parses a JSON document; {@code origin} names it in the error. */
    public static JsonNode parse(String json, String origin) {
        return parse(() -> FACTORY.createParser(json), origin);
    }

    /** Parses a JSON document read from {@code in} (its encoding detected); {@code origin} names it in the error. */
    public static JsonNode parse(java.io.InputStream in, String origin) {
        return parse(() -> FACTORY.createParser(in), origin);
    }

    /** Opens the parser {@link #parse(ParserSource, String)} reads. */
    private interface ParserSource {
        JsonParser open() throws java.io.IOException;
    }

    private static JsonNode parse(ParserSource source, String origin) {
        try (JsonParser p = source.open()) {
            return JsonTrees.read(p);
        } catch (JsonProcessingException e) {
            throw VmConfigException.invalid(origin + ": not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw VmConfigException.invalid(origin + ": cannot read JSON: " + e.getMessage());
        }
    }

    public static String compact(JsonNode node) {
        java.io.StringWriter out = new java.io.StringWriter(256);
        writeCompact(() -> FACTORY.createGenerator(out), node);
        return out.toString();
    }

    /** {@link #compact} as UTF-8 bytes. */
    public static byte[] compactBytes(JsonNode node) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
        writeCompact(() -> FACTORY.createGenerator(out), node);
        return out.toByteArray();
    }

    /** Opens the generator {@link #writeCompact} writes to. */
    private interface GeneratorTarget {
        JsonGenerator open() throws java.io.IOException;
    }

    private static void writeCompact(GeneratorTarget target, JsonNode node) {
        try (JsonGenerator g = target.open()) {
            JsonTrees.write(g, node, false);
        } catch (java.io.IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot serialise JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A generator writing the same pretty JSON as {@link #pretty} a piece at a time, so that a report of 100,000 VMs
     * is never one tree (docs/architecture.md, "Memory").
     */
    public static com.fasterxml.jackson.core.JsonGenerator prettyGenerator(java.io.Writer out) {
        try {
            return Mappers.PRETTY.writer().withDefaultPrettyPrinter().createGenerator(out);
        } catch (java.io.IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
        }
    }

    public static String pretty(JsonNode node) {
        try {
            return Mappers.PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot serialise JSON: " + e.getMessage(), e);
        }
    }

    /** The node at {@code path} when every step before it is an object, else null. */
    private static JsonNode walk(JsonNode root, String... path) {
        JsonNode n = root;
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n;
    }

    /** The child object at {@code path}, if every step is an object. */
    public static Optional<ObjectNode> objectAt(JsonNode root, String... path) {
        JsonNode n = walk(root, path);
        return n != null && n.isObject() ? Optional.of((ObjectNode) n) : Optional.empty();
    }

    /** The array at {@code path}, if every step is an object and the last is an array. */
    public static Optional<ArrayNode> arrayAt(JsonNode root, String... path) {
        JsonNode n = walk(root, path);
        return n != null && n.isArray() ? Optional.of((ArrayNode) n) : Optional.empty();
    }

    /** The text at {@code path}, if present and textual. */
    public static Optional<String> textAt(JsonNode root, String... path) {
        JsonNode n = walk(root, path);
        return n != null && n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    /** The object at {@code path}, created (as empty objects) where missing. Mutates {@code root}. */
    public static ObjectNode ensureObject(ObjectNode root, String... path) {
        ObjectNode n = root;
        for (String p : path) {
            JsonNode c = n.get(p);
            if (c == null || !c.isObject()) {
                c = n.putObject(p);
            }
            n = (ObjectNode) c;
        }
        return n;
    }
}
