package io.vmconfig.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * YAML as kubectl reads and writes it: multi-document streams in, one document per object out. Inputs are bounded
 * (size, nesting, aliases) so that a hostile file is refused instead of exhausting memory.
 */
public final class Yaml {
    private static final ObjectMapper MAPPER;

    static {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit((int) Json.MAX_DOCUMENT_LENGTH);
        loader.setMaxAliasesForCollections(50);
        loader.setNestingDepthLimit(Json.MAX_NESTING_DEPTH);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Json.MAX_NESTING_DEPTH)
                        .maxDocumentLength(Json.MAX_DOCUMENT_LENGTH)
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .stringQuotingChecker(new NumberLikeQuoting())
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build();
        MAPPER = new ObjectMapper(factory);
    }

    private Yaml() {}

    /**
     * Quotes every string that a YAML 1.1 reader (kubectl's, or ours) could take for a number, on top of Jackson's
     * own rules: hexadecimal, octal and binary integers, exponents, sexagesimal numbers (a MAC address such as
     * {@code 52:54:00:12:34:56} is one), {@code .5}, {@code .inf} and {@code .nan}.
     */
    static final class NumberLikeQuoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;
        private static final java.util.regex.Pattern NUMBER_LIKE = java.util.regex.Pattern.compile(
                "^[-+]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?"
                        + "|\\.[0-9_]+([eE][-+]?[0-9]+)?|[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"
                        + "|\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$");

        @Override
        public boolean needToQuoteValue(String value) {
            return NUMBER_LIKE.matcher(value).matches() || super.needToQuoteValue(value);
        }
    }

    /**
     * SnakeYAML copies its read window whenever it refills it in the middle of a token, so one token on a very long
     * line costs time quadratic in the line's length (a 16 MB string took minutes). Lines are therefore bounded:
     * parsing is linear in the file's size with this bounded factor. A Kubernetes object holds no value this long
     * (etcd refuses objects over 1.5 MiB); JSON input, parsed by Jackson's linear JSON parser, has no such bound.
     */
    public static final int MAX_LINE_LENGTH = 1 << 20;

    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder(
                    com.fasterxml.jackson.core.JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(Json.MAX_NESTING_DEPTH)
                                    .maxDocumentLength(Json.MAX_DOCUMENT_LENGTH)
                                    .maxStringLength((int) Json.MAX_DOCUMENT_LENGTH)
                                    .build())
                            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            .build())
            .build();

    /** Every document of a YAML (or JSON) stream; empty documents are skipped. */
    public static List<JsonNode> parseAll(String text, String origin) {
        if (text.length() > Json.MAX_DOCUMENT_LENGTH) {
            throw VmConfigException.invalid(
                    origin + ": more than " + (Json.MAX_DOCUMENT_LENGTH >> 20) + " MiB; refused before parsing");
        }
        if (looksLikeJson(text)) {
            Optional<List<JsonNode>> json = parseJson(text);
            if (json.isPresent()) {
                return json.get();
            }
            // not JSON after all: YAML flow style ({a: b}) starts the same way
        }
        refuseLongLines(text, origin);
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            refuseAliases(parser, origin);
        } catch (JsonProcessingException e) {
            throw VmConfigException.invalid(
                    origin + ": not valid YAML/JSON: " + firstLine(e.getOriginalMessage()) + location(e));
        } catch (IOException | RuntimeException e) {
            if (e instanceof VmConfigException v) {
                throw v;
            }
            throw VmConfigException.invalid(
                    origin + ": not valid YAML/JSON: " + firstLine(String.valueOf(e.getMessage())));
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                JsonNode n = MAPPER.readTree(parser);
                boolean empty = n == null
                        || n.isNull()
                        || n.isMissingNode()
                        || (n.isTextual() && n.asText().isEmpty());
                if (!empty) {
                    docs.add(n);
                }
            }
        } catch (JsonProcessingException e) {
            throw VmConfigException.invalid(
                    origin + ": not valid YAML/JSON: " + firstLine(e.getOriginalMessage()) + location(e));
        } catch (IOException | RuntimeException e) {
            throw VmConfigException.invalid(
                    origin + ": not valid YAML/JSON: " + firstLine(String.valueOf(e.getMessage())));
        }
        return docs;
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    private static Optional<List<JsonNode>> parseJson(String text) {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = JSON.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                JsonNode n = JSON.readTree(parser);
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(docs);
    }

    private static void refuseLongLines(String text, String origin) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - start > MAX_LINE_LENGTH) {
                    throw VmConfigException.invalid(origin + ": line " + line + " is " + (i - start)
                            + " characters long; YAML lines are limited to " + MAX_LINE_LENGTH + " (write such a"
                            + " file as JSON, or fold the value over lines)");
                }
                line++;
                start = i + 1;
            }
        }
    }

    /**
     * Jackson reads a YAML alias ({@code *name}) as the string "name", which would silently corrupt an object;
     * Kubernetes never writes aliases, so they are refused.
     */
    private static void refuseAliases(JsonParser parser, String origin) throws IOException {
        YAMLParser yaml = (YAMLParser) parser;
        while (yaml.nextToken() != null) {
            if (yaml.isCurrentAlias()) {
                throw VmConfigException.invalid(
                        origin + ": YAML aliases (*" + yaml.getText() + ") are not supported" + location(yaml));
            }
        }
    }

    private static String location(JsonParser p) {
        return p.currentLocation() == null
                ? ""
                : " (line " + p.currentLocation().getLineNr() + ")";
    }

    /** One YAML document per node, separated by {@code ---}. */
    public static String writeAll(List<? extends JsonNode> docs) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode d : docs) {
            sb.append(write(d));
        }
        return sb.toString();
    }

    /** A generator writing the same YAML as {@link #write} a piece at a time (a streamed report). */
    public static com.fasterxml.jackson.core.JsonGenerator generator(java.io.Writer out) {
        try {
            return MAPPER.createGenerator(out);
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot write YAML: " + e.getMessage(), e);
        }
    }

    public static String write(JsonNode doc) {
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot write YAML: " + e.getMessage(), e);
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
