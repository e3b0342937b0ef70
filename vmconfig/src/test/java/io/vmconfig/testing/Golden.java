package io.vmconfig.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/golden}. Run with {@code -Dgolden.update=true} to rewrite them after
 * an intended change, then review the diff before committing.
 */
public final class Golden {
    static final Path DIR = Fixtures.ROOT.resolve("vmconfig/src/test/resources/golden");

    private Golden() {}

    public static void assertMatches(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            assertThat(file)
                    .as("golden file %s (create it with -Dgolden.update=true)", file)
                    .exists();
            assertThat(actual).as("output against golden file %s", file).isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
