package io.vmconfig.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vmconfig.core.VmConfigException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming tree codec against Jackson's mapper, which it replaces on the hot paths: the same trees (node types
 * included: JsonNode equality tells an int from a long) for random documents, the same bytes for random trees, and
 * the same refusals. Seeded: {@code -Djsontrees.seed=N} replays a run.
 */
class JsonTreesTest {
    private static final long SEED = Long.getLong("jsontrees.seed", 20261205L);
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Json.MAX_NESTING_DEPTH)
                        .maxDocumentLength(Json.MAX_DOCUMENT_LENGTH)
                        .build());
    }

    @Test
    void randomDocumentsParseToTheMappersTrees() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 2_000; round++) {
            StringBuilder doc = new StringBuilder();
            document(random, doc, 0);
            String text = doc.toString();
            JsonNode expected = MAPPER.readTree(text);
            assertThat(Json.parse(text, "doc"))
                    .as("seed %d round %d: %s", SEED, round, text)
                    .isEqualTo(expected);
            assertThat(Json.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "doc"))
                    .as("seed %d round %d (bytes): %s", SEED, round, text)
                    .isEqualTo(expected);
        }
    }

    @Test
    void randomTreesWriteTheMappersBytes() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 2_000; round++) {
            JsonNode tree = RandomTrees.tree(random, 0, true);
            assertThat(Json.compact(tree))
                    .as("seed %d round %d", SEED, round)
                    .isEqualTo(MAPPER.writeValueAsString(tree));
            assertThat(Json.compactBytes(tree))
                    .as("seed %d round %d (bytes)", SEED, round)
                    .isEqualTo(MAPPER.writeValueAsBytes(tree));
        }
    }

    @Test
    void edgeCasesAnswerAsTheMapperDoes() throws Exception {
        String[] docs = {
            "",
            "   ",
            "0",
            "-0",
            "1e400",
            "-1e-400",
            "123456789012345678901234567890",
            "9223372036854775807",
            "9223372036854775808",
            "-2147483649",
            "2147483647",
            "1.0",
            "\"\\u00e9\\ud83d\\ude00\"",
            "{\"a\":1,\"a\":[2]}",
            "{\"a\":1} trailing",
            "[1,2] [3]",
            "{\"b\":{},\"a\":[]}",
            "null",
            "true"
        };
        for (String d : docs) {
            assertThat(Json.parse(d, "doc")).as(d).isEqualTo(MAPPER.readTree(d));
        }
        assertThat(Json.parse("", "doc")).isSameAs(MissingNode.getInstance());
    }

    @Test
    void malformedAndTooDeepDocumentsAreRefusedNamingTheirOrigin() {
        String[] bad = {"{", "[1,", "{\"a\" 1}", "{'a':1}", "[1,]", "\"unterminated", "{\"a\":tru}", "01"};
        for (String d : bad) {
            assertThatThrownBy(() -> MAPPER.readTree(d))
                    .as("the mapper refuses %s", d)
                    .isNotNull();
            assertThatThrownBy(() -> Json.parse(d, "item sent to vm-backup"))
                    .as(d)
                    .isInstanceOf(VmConfigException.class)
                    .hasMessageStartingWith("item sent to vm-backup: not valid JSON");
        }
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1);
        assertThatThrownBy(() -> Json.parse(deep, "deep.json"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("deep.json")
                .hasMessageContaining("nesting depth");
        String fine = "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH);
        assertThat(Json.parse(fine, "fine.json").isArray()).isTrue();
    }

    /** JSON text with the spellings a document may use: whitespace, escapes, every number form, duplicate keys. */
    private static void document(SplittableRandom r, StringBuilder b, int depth) {
        int pick = depth >= 5 ? 2 + r.nextInt(9) : r.nextInt(11);
        space(r, b);
        switch (pick) {
            case 0 -> members(r, b, depth, true);
            case 1 -> members(r, b, depth, false);
            case 2 -> b.append('"').append(escaped(r)).append('"');
            case 3 -> b.append(r.nextInt());
            case 4 -> b.append(r.nextLong());
            case 5 -> b.append(new BigInteger(70 + r.nextInt(60), new Random(r.nextLong())).negate());
            case 6 -> b.append(r.nextDouble() * Math.pow(10, r.nextInt(-30, 30)));
            case 7 ->
                b.append(r.nextInt(1000)).append(r.nextBoolean() ? "e" : "E").append(r.nextInt(-400, 400));
            case 8 -> b.append(r.nextBoolean() ? "true" : "false");
            case 9 -> b.append("null");
            default -> b.append('-').append(r.nextInt(100)).append('.').append(r.nextInt(1_000_000));
        }
        space(r, b);
    }

    /** An object (keys, some of them the same) or an array of up to 4 random members. */
    private static void members(SplittableRandom r, StringBuilder b, int depth, boolean object) {
        b.append(object ? '{' : '[');
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (object) {
                space(r, b);
                b.append('"').append(r.nextInt(4) == 0 ? "dup" : escaped(r)).append('"');
                space(r, b);
                b.append(':');
            }
            document(r, b, depth + 1);
        }
        space(r, b);
        b.append(object ? '}' : ']');
    }

    private static void space(SplittableRandom r, StringBuilder b) {
        String[] ws = {"", "", "", " ", "\n", "\t", "\r\n  "};
        b.append(ws[r.nextInt(ws.length)]);
    }

    private static String escaped(SplittableRandom r) {
        String[] pieces = {
            "a",
            "Z",
            "0",
            " ",
            "\\\"",
            "\\\\",
            "\\/",
            "\\n",
            "\\t",
            "\\u0001",
            "\\u00fc",
            "\u00fc",
            "\u20ac",
            "\\ud83d\\ude00",
            "\ud83d\ude00",
            "\\b",
            "\\f",
            "\\r"
        };
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(7); i > 0; i--) {
            b.append(pieces[r.nextInt(pieces.length)]);
        }
        return b.toString();
    }
}
