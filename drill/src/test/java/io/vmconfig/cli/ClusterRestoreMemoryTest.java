package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.bench.DrSyncBench;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.ForkedCli;
import io.vmconfig.testing.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore --context} streams (docs/architecture.md, "Memory"): the real CLI, in its own JVM with a 64 MiB
 * heap, restores a set of {@value #VMS} VMs into an in-process DR API server, then the same set again (every VM
 * unchanged, a sync's steady state). Before the pass streamed, it held every bundle, restore result, document and DR
 * VM tree at once (about 18 KiB of heap per VM) and ran out of heap on this set (`bench/dr-sync-memory 4000 64m` with
 * the earlier build as reference, docs/benchmarks.md "DR sync").
 */
class ClusterRestoreMemoryTest {
    static final int VMS = 4000;
    static final String HEAP = "-Xmx64m";

    @TempDir
    Path dir;

    @Test
    void aFirstRestoreAndAnUnchangedPassOfFourThousandVmsFitIn64MiB() throws Exception {
        String keys = TestRepository.keys(dir);
        String repo = TestRepository.init(dir.resolve("repo").toString(), keys);
        Path map = Files.writeString(dir.resolve("map.yaml"), DrSyncBench.MAP);
        DrSyncBench.backUp(DrSyncBench.fleet(VMS, -1), dir, repo, keys);
        try (EmbeddedKube dr = EmbeddedKube.start("dr", dir)) {
            DrSyncBench.replicatedDisks(dr, VMS, i -> true);
            List<String> restore = List.of(TestRepository.args(
                    "restore",
                    TestRepository.reader(repo, keys, map.toString()),
                    "--qps",
                    "10000",
                    "--burst",
                    "10000",
                    "-o",
                    "json",
                    dr.contextArgs()));
            ForkedCli.Forked first = fork(restore);
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(count(first, "create")).isEqualTo(VMS);
            assertThat(dr.cluster.list(KubeKind.VM, null, null)).hasSize(VMS);

            ForkedCli.Forked again = fork(restore);
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(count(again, "unchanged")).isEqualTo(VMS);
            assertThat(Json.parse(again.out(), "restore").path("objectsWritten").asInt())
                    .isZero();
        }
    }

    private static long count(ForkedCli.Forked f, String action) {
        JsonNode report = Json.parse(f.out(), "restore");
        assertThat(report.path("vms")).as("the report names every VM").hasSize(VMS);
        return report.path("counts").path(action).asLong();
    }

    private ForkedCli.Forked fork(List<String> args) throws Exception {
        return ForkedCli.run(dir, List.of(HEAP, "-XX:+UseSerialGC"), args, 10);
    }
}
