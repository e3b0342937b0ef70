package io.vmconfig.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.json.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shared VM fixtures (copied into test resources) and the project's examples. */
public final class Fixtures {
    /** The checkout's top folder (it holds examples/ and deploy/), found from the module a test runs in. */
    public static final Path ROOT = root();

    public static final Path FIXTURES = ROOT.resolve("vmconfig/src/test/resources/fixtures");
    public static final Path EXAMPLES = ROOT.resolve("examples");
    public static final Path DEPLOY = ROOT.resolve("deploy");

    private Fixtures() {}

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples")) && Files.isDirectory(p.resolve("deploy"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no examples/ and deploy/ above " + Path.of("").toAbsolutePath());
    }

    public static List<SourcedObject> objects(String fixture) {
        return KubeObjectReader.read(FIXTURES.resolve(fixture));
    }

    /** The VirtualMachine of a fixture file. */
    public static ObjectNode vm(String fixture) {
        return (ObjectNode) objects(fixture).stream()
                .filter(o -> o.kind().equals("VirtualMachine"))
                .findFirst()
                .orElseThrow()
                .object()
                .deepCopy();
    }

    public static ObjectNode yaml(String text) {
        return (ObjectNode) Yaml.parseAll(text, "test").get(0);
    }

    public static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static JsonNode at(JsonNode n, String pointer) {
        return n.at(pointer);
    }
}
