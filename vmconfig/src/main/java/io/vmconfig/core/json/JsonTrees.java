package io.vmconfig.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text to Jackson trees and back with the streaming parser and generator alone: the same trees as {@code
 * ObjectMapper.readTree} (same node types for every number, the last of duplicate keys in the first one's place, a
 * missing node for empty input, nothing after the first value read) and the same bytes as {@code
 * writeValueAsBytes}, without building an {@code ObjectMapper}. Building one loads ~370 classes of data binding, about
 * 3.5 MiB of class metadata in every plugin process that reads and writes nothing but trees (docs/benchmarks.md, issue
 * 13, tenth session). The bounds of the input are the parser's factory's.
 */
public final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {}

    /** The first value of {@code p} (not yet advanced) as a tree; a missing node when there is none. */
    public static JsonNode read(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        return t == null ? MissingNode.getInstance() : value(p, t);
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    o.replace(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(value(p, e));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return switch (p.getNumberTypeFP()) {
                    case BIG_DECIMAL -> NODES.numberNode(p.getDecimalValue());
                    case FLOAT32 -> NODES.numberNode(p.getFloatValue());
                    default -> NODES.numberNode(p.getDoubleValue());
                };
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        }
    }

    /**
     * Writes {@code node}; with {@code sortKeys} each object's keys in sorted order (canonical JSON), else in the
     * tree's order. Binary nodes are written as the mapper writes them (base64, the generator's default variant);
     * a POJO node, which no parsed document holds, is refused.
     */
    public static void write(JsonGenerator g, JsonNode node, boolean sortKeys) throws IOException {
        if (node instanceof ObjectNode o) {
            g.writeStartObject();
            if (sortKeys) {
                String[] names = new String[o.size()];
                int i = 0;
                for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                    names[i++] = it.next();
                }
                Arrays.sort(names);
                for (String n : names) {
                    g.writeFieldName(n);
                    write(g, o.get(n), true);
                }
            } else {
                for (Map.Entry<String, JsonNode> e : o.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue(), false);
                }
            }
            g.writeEndObject();
        } else if (node instanceof ArrayNode a) {
            g.writeStartArray();
            for (JsonNode e : a) {
                write(g, e, sortKeys);
            }
            g.writeEndArray();
        } else if (node.isTextual()) {
            g.writeString(node.textValue());
        } else if (node instanceof NumericNode number) {
            number.serialize(g, null); // every numeric node writes its own value, as the mapper has it do
        } else if (node.isBoolean()) {
            g.writeBoolean(node.booleanValue());
        } else if (node.isNull() || node.isMissingNode()) {
            g.writeNull();
        } else if (node.isBinary()) {
            g.writeBinary(node.binaryValue());
        } else {
            throw new IOException("cannot write a " + node.getNodeType() + " node as JSON text");
        }
    }
}
