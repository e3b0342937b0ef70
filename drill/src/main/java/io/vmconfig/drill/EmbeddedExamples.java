package io.vmconfig.drill;

import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** The example VMs packed into the jar ({@code examples/} of the project), copied out for the drill. */
public final class EmbeddedExamples {
    static final String ROOT = "/io/vmconfig/examples";

    private EmbeddedExamples() {}

    /** Copies the embedded examples into {@code target} and returns it. */
    public static Path extractTo(Path target) {
        URL url = EmbeddedExamples.class.getResource(ROOT);
        if (url == null) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTERNAL, "the embedded examples are missing from the build");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    copyTree(fs.getPath(ROOT), target);
                }
            } else {
                copyTree(Path.of(uri), target);
            }
            return target;
        } catch (IOException | URISyntaxException e) {
            throw new VmConfigException(
                    VmConfigException.Kind.IO, "cannot unpack the embedded examples: " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest);
                }
            }
        }
    }
}
