package io.vmconfig.adapters.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Kubernetes objects the way {@code kubectl get -o yaml|json} prints them: a file or a folder (recursively,
 * {@code .yaml}, {@code .yml} and {@code .json}, in name order), single objects, multi-document streams and
 * {@code List} kinds. Every object remembers its origin ({@code file#document} or {@code file#document.items[i]}).
 */
public final class KubeObjectReader {
    private KubeObjectReader() {}

    public static List<SourcedObject> read(Path path) {
        List<SourcedObject> out = new ArrayList<>();
        for (Path file : files(path)) {
            out.addAll(readFile(file));
        }
        return out;
    }

    /**
     * The same input read one file at a time (each file a part), for batches that must not hold every object at
     * once (backup of 100,000 VMs, docs/architecture.md "Memory"). The files are listed now, read when asked.
     */
    public static io.vmconfig.core.batch.ObjectSource source(Path path) {
        List<Path> files = files(path);
        return new io.vmconfig.core.batch.ObjectSource() {
            @Override
            public int parts() {
                return files.size();
            }

            @Override
            public List<SourcedObject> read(int i) {
                return readFile(files.get(i));
            }
        };
    }

    public static List<SourcedObject> readFile(Path file) {
        String text;
        try {
            refuseOversized(file);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw VmConfigException.invalid(file + ": not UTF-8 text");
        } catch (NoSuchFileException e) {
            throw VmConfigException.invalid(file + ": no such file");
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.IO, file + ": cannot read: " + e.getMessage(), e);
        }
        return fromText(text, file.toString());
    }

    /** Files over {@link Json#MAX_DOCUMENT_LENGTH} are refused before a byte is read, naming the file. */
    public static void refuseOversized(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Json.MAX_DOCUMENT_LENGTH) {
            throw VmConfigException.invalid(file + ": " + size + " bytes, more than the "
                    + (Json.MAX_DOCUMENT_LENGTH >> 20) + " MiB vmconfig reads; refused before parsing");
        }
    }

    /** Parses a YAML/JSON stream named {@code origin}. */
    public static List<SourcedObject> fromText(String text, String origin) {
        List<SourcedObject> out = new ArrayList<>();
        List<JsonNode> docs = Yaml.parseAll(text, origin);
        for (int i = 0; i < docs.size(); i++) {
            JsonNode d = docs.get(i);
            String where = origin + "#" + (i + 1);
            if (!d.isObject()) {
                throw VmConfigException.invalid(where + ": a Kubernetes object must be a mapping");
            }
            if (d.path("kind").asText("").endsWith("List") && d.has("items")) {
                JsonNode items = d.get("items");
                if (!items.isArray()) {
                    throw VmConfigException.invalid(where + ": items of a List must be a list");
                }
                for (int j = 0; j < items.size(); j++) {
                    out.add(new SourcedObject(where + ".items[" + j + "]", items.get(j)));
                }
            } else {
                out.add(new SourcedObject(where, d));
            }
        }
        return out;
    }

    static List<Path> files(Path path) {
        if (!Files.exists(path)) {
            throw VmConfigException.invalid(path + ": no such file or folder");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.walk(path)) {
            // nothing hidden is input, at any depth: a killed export leaves .vmconfig-staging-*/ with half its VMs
            return s.filter(Files::isRegularFile)
                    .filter(p -> !hidden(path.relativize(p)))
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.IO, path + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
