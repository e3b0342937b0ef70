package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theDrillPassesOnTheEmbeddedExamples() {
        Cli.Result r = Cli.run("drill", "--work", tmp.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("drill passed").doesNotContain("FAIL");
        assertThat(tmp.resolve("dr-failover/lab-dr/db-02.yaml")).exists();
    }

    @Test
    void theDrillFailsWhenAnExpectationDoesNotHold() throws IOException {
        Path ex = tmp.resolve("examples");
        copy(Fixtures.EXAMPLES, ex);
        Files.writeString(ex.resolve("dr-inventory.yaml"), Fixtures.read(ex.resolve("dr-inventory.yaml"))
                .replace("name: dr-app-03-disk", "name: not-replicated"));
        Cli.Result r = Cli.run("drill", "--examples", ex.toString(), "--work", tmp.resolve("w").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL  every VM restored for failover (2/3)").contains("drill FAILED");
    }

    static void copy(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
    }
}
