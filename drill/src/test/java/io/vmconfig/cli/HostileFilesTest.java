package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files a careless or hostile user gives the CLI (issue 10, items 2 and 5): named, refused alone or up front. */
class HostileFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aFileOverTheLimitIsRefusedBeforeParsingNamingIt() throws IOException {
        Path big = tmp.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(Json.MAX_DOCUMENT_LENGTH + 1); // sparse: nothing is written, nothing may be read
        }
        Cli.Result r = Cli.run(
                "export", "--from", big.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(big.toString()).contains("refused before parsing");
    }

    @Test
    void aNameTooLongForAFileBlocksThatVmAlone() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        String longName = "a".repeat(252);
        Files.writeString(
                in.resolve("long.yaml"),
                Fixtures.read(Fixtures.FIXTURES.resolve("plain-pvc.yaml"))
                        .replace("name: app-03\n", "name: " + longName + "\n"));
        Files.copy(Fixtures.FIXTURES.resolve("plain-pvc.yaml"), in.resolve("ok.yaml"));
        Cli.Result r = Cli.run(
                "export", "--from", in.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("too long for a file name");
        assertThat(tmp.resolve("out/lab/app-03.yaml")).exists();
    }

    @Test
    void anInputOfOnlyAVmiNamesTheObjectAndItsKind() throws IOException {
        Path vmi = tmp.resolve("vmi.yaml");
        Files.writeString(
                vmi, "apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstance\nmetadata: {name: x, namespace: ns}\n");
        Cli.Result r = Cli.run(
                "export", "--from", vmi.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("VirtualMachineInstance ns/x").contains("not a definition");
    }

    @Test
    void controlCharactersInInputAreEscapedInTheOutput() throws IOException {
        Path in = tmp.resolve("ctl.yaml");
        Files.writeString(
                in,
                Fixtures.read(Fixtures.FIXTURES.resolve("plain-pvc.yaml"))
                        .replace("claimName: app-03-disk", "claimName: \"disk\\e[31m\""));
        Cli.Result r = Cli.run(
                "restore",
                "--from",
                in.toString(),
                "--map",
                Fixtures.EXAMPLES.resolve("volume-map.yaml").toString(),
                "--out",
                tmp.resolve("out").toString());
        assertThat(r.out()).doesNotContain("\u001b").contains("\\u001b");
    }
}
