package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapCommandTest {
    static final String MAP = """
            apiVersion: vmconfig.io/v1
            kind: VolumeMap
            namespaces: {prod-apps: dr-apps}
            claims: {prod-apps/web-01-root: dr-web-01-root}
            storageClasses: {longhorn: replica-block}
            """;

    @TempDir
    Path tmp;

    @Test
    void writesTheReverseMapThatRestoreReadsAndNeverOverwrites() throws Exception {
        Path map = Files.writeString(tmp.resolve("map.yaml"), MAP);
        Path out = tmp.resolve("failback.yaml");
        Cli.Result r = Cli.run("map", "invert", "--map", map.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        VolumeMap inverse = RestoreCommand.readMap(out);
        assertThat(inverse.claim("dr-apps", "dr-web-01-root").map(VolumeMap.Mapped::name))
                .hasValue("web-01-root");
        assertThat(inverse.invert()).isEqualTo(RestoreCommand.readMap(map));

        Cli.Result again = Cli.run("map", "invert", "--map", map.toString(), "--out", out.toString());
        assertThat(again.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.err()).contains(out + " exists");
    }

    @Test
    void refusesAMapThatIsNotOneToOneWritingNothing() {
        Path out = tmp.resolve("failback.yaml");
        Cli.Result r = Cli.run(
                "map",
                "invert",
                "--map",
                Fixtures.EXAMPLES.resolve("volume-map.yaml").toString(),
                "--out",
                out.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("cannot be inverted, it is not one-to-one").contains("rules[1] (prefix 'dr-')");
        assertThat(out).doesNotExist();
    }
}
