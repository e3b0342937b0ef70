package io.vmconfig.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
                        .maxDocumentLength(Json.MAX_DOCUMENT_LENGTH).build())
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build();
        MAPPER = new ObjectMapper(factory);
    }

    private Yaml() {}

    /** Every document of a YAML (or JSON) stream; empty documents are skipped. */
    public static List<JsonNode> parseAll(String text, String origin) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode n = it.nextValue();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
        } catch (JsonProcessingException e) {
            throw VmConfigException.invalid(origin + ": not valid YAML/JSON: " + firstLine(e.getOriginalMessage())
                    + location(e));
        } catch (IOException | RuntimeException e) {
            throw VmConfigException.invalid(origin + ": not valid YAML/JSON: " + firstLine(String.valueOf(e.getMessage())));
        }
        return docs;
    }

    /** One YAML document per node, separated by {@code ---}. */
    public static String writeAll(List<? extends JsonNode> docs) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode d : docs) {
            sb.append(write(d));
        }
        return sb.toString();
    }

    public static String write(JsonNode doc) {
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot write YAML: " + e.getMessage(), e);
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
