package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.fs.FolderBlobStore;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.bench.DrSyncBench;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.Trust;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import io.vmconfig.service.sync.DrSync;
import io.vmconfig.testing.TestRepository;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DR pass streamed in chunks ({@link DrSync#run}) against in-process API servers: in chunks of 7 VMs (and 3
 * workers) it decides, writes and reports exactly what one chunk of the whole set does, over a first restore, a set
 * with changed VMs, an unchanged set and a prune; its report keeps no documents, only their heads, and cannot be
 * applied a second time by {@link DrSync#apply}.
 */
class StreamedPassTest {
    static final int VMS = 40;

    @TempDir
    Path tmp;

    String keys;
    String repo;
    Path map;
    EmbeddedKube prod;
    final List<EmbeddedKube> drs = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        keys = TestRepository.keys(tmp);
        repo = tmp.resolve("repo").toString();
        map = Files.writeString(tmp.resolve("map.yaml"), DrSyncBench.MAP);
        TestRepository.init(repo, keys);
        prod = EmbeddedKube.start("prod", tmp);
        DrSyncBench.createFleet(prod, VMS);
        TwoClusters.backup(repo, keys, prod, "-o", "json");
    }

    @AfterEach
    void stop() {
        drs.forEach(EmbeddedKube::close);
        prod.close();
    }

    private EmbeddedKube dr(String name) {
        EmbeddedKube dr = EmbeddedKube.start(name, tmp);
        drs.add(dr);
        // vm-5's replicated disk is missing: that VM is blocked in every pass
        DrSyncBench.replicatedDisks(dr, VMS, i -> i != 5);
        return dr;
    }

    private RepoReader reader() {
        return new RepoReader(
                new FolderBlobStore(Path.of(repo)),
                Trust.keys(List.of(KeyFiles.publicKey(Path.of(keys, "signing.pub")))),
                Optional.of(KeyFiles.repositoryKey(Path.of(keys, "repository.key"))));
    }

    private DrSync sync(EmbeddedKube dr, int chunk, int parallel) {
        DrSync s = new DrSync(
                dr.cluster,
                new ActivationState(dr.cluster, "vmconfig-system", Clock.systemUTC()),
                new DrRestore(RestoreCommand.readMap(map), UUID::randomUUID),
                false);
        s.chunk(chunk);
        s.concurrency(parallel);
        return s;
    }

    /** What a report says of each VM, in its order, and what the pass wrote. */
    private static List<String> outcome(DrSync.Run run) {
        List<String> out = new ArrayList<>();
        for (VmPlan p : run.report().plans()) {
            out.add(p.name() + " " + p.action() + " " + p.codes() + " "
                    + p.diff().size() + " " + run.applied().failureOf(p).orElse("ok"));
        }
        out.add("written " + run.applied().objectsWritten());
        return out;
    }

    @Test
    void chunksOfSevenDecideWriteAndReportWhatOneChunkDoes() {
        EmbeddedKube whole = dr("whole");
        EmbeddedKube chunked = dr("chunked");
        for (int pass = 0; pass < 4; pass++) {
            boolean prune = false;
            if (pass == 1) {
                for (int i = 0; i < VMS; i += 4) {
                    TwoClusters.changeCores(prod, "team-" + (i % 50), "vm-" + i, 8);
                }
                TwoClusters.backup(repo, keys, prod, "-o", "json");
            } else if (pass == 3) {
                prod.cluster.delete(KubeKind.VM, "team-9", "vm-9");
                TwoClusters.backup(repo, keys, prod, "-o", "json");
                prune = true;
            }
            List<String> phases = new ArrayList<>();
            Progress seen = (phase, done, total) -> phases.add(phase + " " + done);
            DrSync.Run one = sync(whole, 100_000, 1).run(reader(), "latest", prune, false, Progress.NONE);
            DrSync.Run seven = sync(chunked, 7, 3).run(reader(), "latest", prune, false, seen);

            assertThat(outcome(seven)).as("pass %d", pass).isEqualTo(outcome(one));
            assertThat(state(chunked)).as("pass %d: DR state", pass).isEqualTo(state(whole));
            // 40 entries (39 in the last pass) read 7 at a time: a progress line per chunk, then the total
            assertThat(phases.stream().filter(p -> p.startsWith("plan ")))
                    .as("pass %d", pass)
                    .hasSize((pass == 3 ? 39 + 6 : VMS + 6) / 7 + 1);
            assertThat(seven.report().plans())
                    .allSatisfy(p -> assertThat(p.documents())
                            .as("a streamed report keeps no documents")
                            .isEmpty());
            long written = seven.report().plans().stream()
                    .filter(p -> p.action() == SyncAction.CREATE || p.action() == SyncAction.UPDATE)
                    .count();
            switch (pass) {
                case 0 -> assertThat(written).isEqualTo(VMS - 1);
                case 1 -> assertThat(written).isEqualTo(VMS / 4);
                case 2 -> assertThat(written).isZero();
                default ->
                    assertThat(seven.report().plans())
                            .filteredOn(p -> p.action() == SyncAction.DELETE)
                            .singleElement()
                            .satisfies(p -> assertThat(p.name()).isEqualTo("team-9/vm-9"));
            }
            assertThat(seven.report().plans())
                    .filteredOn(p -> p.name().equals("team-5/vm-5"))
                    .singleElement()
                    .satisfies(p -> assertThat(p.action()).isEqualTo(SyncAction.BLOCKED));
        }
        assertThat(chunked.cluster.get(KubeKind.VM, "team-9", "vm-9")).isEmpty();
    }

    @Test
    void aStreamedReportNamesWhatItWritesForThePreflightAndIsNotAppliedAgain() {
        EmbeddedKube dr = dr("dr");
        DrSync s = sync(dr, 3, 1);
        List<DrSync.Report> checked = new ArrayList<>();
        s.beforeWriting(checked::add);
        DrSync.Run dry = s.run(reader(), "latest", false, true, Progress.NONE);
        assertThat(dry.applied()).isNull();
        assertThat(checked).as("a dry run asks no permission").isEmpty();
        assertThat(dr.cluster.list(KubeKind.VM, null, null))
                .as("a dry run writes nothing")
                .isEmpty();

        VmPlan create = dry.report().plans().stream()
                .filter(p -> p.action() == SyncAction.CREATE)
                .findFirst()
                .orElseThrow();
        assertThat(create.documentsDropped()).isTrue();
        assertThat(create.heads()).extracting(h -> h.path("kind").asText()).endsWith("VirtualMachine");
        assertThat(create.heads()
                        .get(create.heads().size() - 1)
                        .path("metadata")
                        .path("name")
                        .asText())
                .isEqualTo(create.target().name());
        assertThatThrownBy(() -> s.apply(dry.report()))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTERNAL))
                .hasMessageContaining("carries no documents");
        assertThat(dr.cluster.list(KubeKind.VM, null, null)).isEmpty();

        DrSync.Run real = s.run(reader(), "latest", false, false, Progress.NONE);
        assertThat(checked)
                .singleElement()
                .satisfies(r -> assertThat(r.plans()).isEqualTo(real.report().plans()));
        assertThat(real.applied().failures()).isEmpty();
        assertThat(dr.cluster.list(KubeKind.VM, null, null)).hasSize(VMS - 1);
        // the bundles of the VMs that write are read twice and counted twice; a pass that writes nothing reads once
        assertThat(real.report().bundleBytesRead()).isGreaterThan(dry.report().bundleBytesRead());
        DrSync.Run unchanged = s.run(reader(), "latest", false, false, Progress.NONE);
        assertThat(unchanged.applied().objectsWritten()).isZero();
        assertThat(unchanged.report().bundleBytesRead()).isEqualTo(dry.report().bundleBytesRead());
    }

    static Map<String, JsonNode> state(EmbeddedKube k) {
        return SyncFaultsTest.state(k);
    }
}
