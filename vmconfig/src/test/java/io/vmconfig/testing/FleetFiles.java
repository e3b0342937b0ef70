package io.vmconfig.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A generated fleet as kubectl output files: VM {@code i} is a copy of example {@code i % 3} (examples/production:
 * its VM with its PVCs, Secret, ConfigMap, ServiceAccount, ControllerRevisions) renamed {@code <name>-<i>}, with
 * uids derived from {@code i}, one file per VM under its namespace. Used by bench/repo-scale and the memory tests:
 * real bundle shapes, Secrets that are encrypted, and as many files as VMs.
 */
public final class FleetFiles {
    private static final List<String> NAMES = List.of("app-03", "db-02", "web-01");

    private FleetFiles() {}

    /** Writes {@code n} VMs under {@code dir} as YAML; returns {@code dir}. */
    public static Path write(Path dir, int n) throws IOException {
        return write(dir, n, false);
    }

    /**
     * Writes {@code n} VMs under {@code dir}, as YAML or as JSON ({@code kind: List}, as {@code kubectl get -o json}
     * prints; parsed several times faster, for tests that must run quickly); returns {@code dir}.
     */
    public static Path write(Path dir, int n, boolean json) throws IOException {
        List<String> templates = new ArrayList<>();
        for (String name : NAMES) {
            String yaml =
                    Files.readString(Fixtures.EXAMPLES.resolve("production").resolve(name + ".yaml"));
            templates.add(json ? asJsonList(yaml, name) : yaml);
        }
        for (int i = 0; i < n; i++) {
            String name = NAMES.get(i % NAMES.size());
            String text = renamed(templates.get(i % NAMES.size()), name, i);
            Path f = dir.resolve("fleet-" + (i / 1000)).resolve(name + "-" + i + (json ? ".json" : ".yaml"));
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
        }
        return dir;
    }

    private static final java.util.regex.Pattern UID = java.util.regex.Pattern.compile(
            "(uid\"?: ?\"?)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    /** The template with the VM's name (and every name derived from it) and every uid made unique to {@code i}. */
    private static String renamed(String template, String name, int i) {
        String text = template.replace(name, name + "-" + i);
        java.util.regex.Matcher m = UID.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        while (m.find()) {
            m.appendReplacement(out, m.group(1) + uuid(m.group(2), i));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The YAML stream as one JSON {@code List} object, pretty-printed (one field a line, as kubectl prints). */
    private static String asJsonList(String yaml, String origin) {
        com.fasterxml.jackson.databind.node.ObjectNode list = io.vmconfig.core.json.Json.object();
        list.put("apiVersion", "v1").put("kind", "List");
        com.fasterxml.jackson.databind.node.ArrayNode items = list.putArray("items");
        io.vmconfig.core.json.Yaml.parseAll(yaml, origin).forEach(items::add);
        try {
            return io.vmconfig.core.json.Json.mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(list);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String uuid(String original, int i) {
        return UUID.nameUUIDFromBytes((original + "/" + i).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** {@code java io.vmconfig.testing.FleetFiles DIR N [json]}: bench/repo-scale's generator. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Integer.parseInt(args[1]), args.length > 2 && "json".equals(args[2]));
    }
}
