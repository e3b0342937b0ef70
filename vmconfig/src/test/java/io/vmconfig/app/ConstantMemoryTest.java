package io.vmconfig.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.testing.Cli;
import io.vmconfig.testing.FleetFiles;
import io.vmconfig.testing.ForkedCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup from files, verify and restore to files hold one VM at a time (docs/architecture.md, "Memory"): the real
 * CLI, in its own JVM with a 64 MiB heap, backs up a generated fleet of {@value #VMS} VMs (Secrets encrypted),
 * backs it up again unchanged, verifies the repository and restores the whole set to files. Before they streamed,
 * backup held every object, every export and every snapshot (about 38 KiB of heap per VM: 10,000 VMs needed
 * ~384 MiB) and restore every bundle and every output file, so this fleet ran out of heap in backup.
 */
class ConstantMemoryTest {
    static final int VMS = 3000;
    static final String HEAP = "-Xmx64m";

    @TempDir
    Path dir;

    /** The forked CLI's temporary folder, to check that it leaves nothing there. */
    Path tmp;

    @Test
    void backupVerifyAndRestoreOfAFleetFitIn64MiB() throws Exception {
        tmp = Files.createDirectories(dir.resolve("tmp"));
        Path fleet = FleetFiles.write(dir.resolve("fleet"), VMS, true);
        String keys = dir.resolve("keys").toString();
        String repo = dir.resolve("repo").toString();
        assertThat(Cli.run("keys", "generate", "--out", keys).code()).isZero();
        assertThat(Cli.run(
                                "repo",
                                "init",
                                "--repo",
                                repo,
                                "--signer",
                                keys + "/signing.pub",
                                "--key",
                                keys + "/repository.key")
                        .code())
                .isZero();
        List<String> backup = List.of(
                "backup",
                "--from",
                fleet.toString(),
                "--repo",
                repo,
                "--signing-key",
                keys + "/signing.key",
                "--key",
                keys + "/repository.key",
                "-o",
                "json");

        ForkedCli.Forked first = fork(backup);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(json(first).path("vms").asInt()).isEqualTo(VMS);
        assertThat(json(first).path("changed").asInt()).isEqualTo(VMS);
        ForkedCli.Forked again = fork(backup);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(json(again).path("vms").asInt()).isEqualTo(VMS);
        assertThat(json(again).path("changed").asInt()).isZero();

        ForkedCli.Forked verify = fork(List.of(
                "verify", "--repo", repo, "--key", keys + "/repository.key", "--verify-key", keys + "/signing.pub"));
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("checked 2 sets").contains("OK");

        Path out = dir.resolve("out");
        ForkedCli.Forked restore = fork(restoreArgs(repo, keys, out, "-o", "json"));
        assertThat(restore.code()).as(restore.err()).isZero();
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(p -> p.toString().endsWith(".yaml")).count())
                    .isEqualTo(VMS);
        }
        // the report was spooled to a temporary file, not held per VM, and still names every VM and its file
        com.fasterxml.jackson.databind.JsonNode report = json(restore);
        assertThat(report.path("counts").path("restored").asInt()).isEqualTo(VMS);
        assertThat(report.path("vms")).hasSize(VMS);
        report.path("vms")
                .forEach(vm -> assertThat(Path.of(vm.path("file").asText()))
                        .as(vm.toString())
                        .startsWith(out)
                        .exists());
        // again into the existing folder (the staged files are moved one by one, found in the staging folder),
        // as a table
        // as a table; it merges the applied record the first restore left with the set as both go by
        ForkedCli.Forked again2 = fork(restoreArgs(repo, keys, out));
        assertThat(again2.code()).as(again2.err()).isZero();
        assertThat(again2.out().lines().filter(l -> l.contains(" RESTORED ")).count())
                .isEqualTo(VMS);
        assertThat(again2.out().strip()).endsWith(VMS + " restored");
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(".vmconfig-staging-")))
                    .isEmpty();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("temporary report files left").isEmpty();
        }
        // the applied record was written as a stream, in tree-path order (repository-format.md §8), every VM once,
        // from a temporary file beside the output that is gone
        List<String> paths = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode e : io.vmconfig.core.json.Json.mapper()
                .readTree(out.resolve(".vmconfig-applied.json").toFile())
                .path("applied")) {
            paths.add(java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest((e.path("namespace").asText() + "/"
                                            + e.path("name").asText())
                                    .getBytes(StandardCharsets.UTF_8))));
        }
        assertThat(paths).hasSize(VMS).isSorted().doesNotHaveDuplicates();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".pending-"));
        }
    }

    private static List<String> restoreArgs(String repo, String keys, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "restore",
                "--repo",
                repo,
                "--key",
                keys + "/repository.key",
                "--verify-key",
                keys + "/signing.pub",
                "--map",
                io.vmconfig.testing.Fixtures.EXAMPLES.resolve("volume-map.yaml").toString(),
                "--out",
                out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(ForkedCli.Forked f) throws IOException {
        return io.vmconfig.core.json.Json.mapper().readTree(f.out());
    }

    /** The CLI in a JVM of its own with a {@value #HEAP} heap (an OutOfMemoryError ends it with a non-zero code). */
    private ForkedCli.Forked fork(List<String> args) throws IOException, InterruptedException {
        return ForkedCli.run(dir, List.of(HEAP, "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp), args, 5);
    }
}
