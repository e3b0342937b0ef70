package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.velero.SealOutcome;
import io.vmconfig.core.velero.Sealer;
import io.vmconfig.core.vm.VmRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Staging and sealing of runs written one VM at a time (repository-format.md §11). */
class SealingTest {
    private final RepoFixture f = RepoFixture.inMemory();
    private final Map<String, String> phases = new HashMap<>();
    private List<VmRef> covered = List.of();

    private Staging staging(BlobStore on) {
        return new Staging(on, Optional.of(f.key), f.clock, f.random);
    }

    private Sealer sealer() {
        return new Sealer(f.reader(), staging(f.store), f.writer(f.store), this::backup, b -> covered, f.clock);
    }

    private Optional<JsonNode> backup(String name) {
        String phase = phases.get(name);
        if (phase == null) {
            return Optional.empty();
        }
        return Optional.of(Json.object().set("status", Json.object().put("phase", phase)));
    }

    private SealOutcome only(List<SealOutcome> outcomes) {
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0);
    }

    @Test
    void aStagedRunIsInvisibleUntilItsBackupCompletesThenSealedOnceWithRevisions() {
        List<VmSnapshot> vms = RepoFixture.fleet(5, "a");
        phases.put("daily-1", "InProgress");
        vms.forEach(v -> staging(f.store).stage("daily-1", v));
        assertThat(f.reader().sets()).isEmpty();
        assertThat(only(sealer().sealOnce("prod")).action()).isEqualTo(SealOutcome.Action.WAITING);
        phases.put("daily-1", "WaitingForPluginOperations");
        assertThat(only(sealer().sealOnce("prod")).action()).isEqualTo(SealOutcome.Action.WAITING);
        assertThat(f.reader().sets()).isEmpty();

        phases.put("daily-1", "Completed");
        SealOutcome sealed = only(sealer().sealOnce("prod"));
        assertThat(sealed.action()).isEqualTo(SealOutcome.Action.SEALED);
        LoadedSet set = f.reader().load(sealed.set());
        assertThat(set.manifest().run()).isEqualTo("daily-1");
        assertThat(set.entries())
                .hasSize(5)
                .allSatisfy(e -> assertThat(e.revision()).isEqualTo(1));
        assertThat(set.problems()).isEmpty();
        assertThat(f.store.list(Staging.PREFIX)).isEmpty();
        assertThat(sealer().sealOnce("prod")).isEmpty();
        assertThat(f.reader().sets()).hasSize(1);
    }

    /**
     * Frames are salted per staged VM (§5.6), so a bundle the writer's parent does not name gets a new name: a process
     * that stages the next run must dedup against the set the last run became, not the parent it read for that run.
     */
    @Test
    void oneProcessStagingTheNextRunOfUnchangedVmsUploadsNoBundle() {
        List<VmSnapshot> vms = RepoFixture.fleet(3, "a");
        Staging plugin = staging(f.store);
        vms.forEach(v -> plugin.stage("daily-1", v));
        phases.put("daily-1", "Completed");
        assertThat(only(sealer().sealOnce("prod")).action()).isEqualTo(SealOutcome.Action.SEALED);
        List<String> bundles = f.store.list(ObjectNames.BUNDLES);
        assertThat(bundles).hasSize(3);

        vms.forEach(v -> plugin.stage("daily-2", v));
        assertThat(f.store.list(ObjectNames.BUNDLES)).containsExactlyInAnyOrderElementsOf(bundles);
        phases.put("daily-2", "Completed");
        SealOutcome second = only(sealer().sealOnce("prod"));
        assertThat(second.action()).isEqualTo(SealOutcome.Action.SEALED);
        assertThat(f.reader().load(second.set()).entries())
                .extracting(Entry::sha256)
                .containsExactlyInAnyOrderElementsOf(
                        f.reader().load(f.reader().sets().get(0)).entries().stream()
                                .map(Entry::sha256)
                                .toList());
    }

    @Test
    void theSealMakesEveryBundleItNamesDurableBeforeItWritesTheSet() {
        // the plugin stages without forcing each file (FolderBlobStore AT_SYNC): the seal is where they must be
        RepoFixture.fleet(4, "a").forEach(v -> staging(f.store).stage("daily-1", v));
        List<String> log = new java.util.ArrayList<>();
        BlobStore recording = new io.vmconfig.testing.ForwardingBlobStore(f.store) {
            @Override
            public void put(String name, byte[] data) {
                log.add("PUT " + name);
                super.put(name, data);
            }

            @Override
            public void sync(java.util.Collection<String> names) {
                names.forEach(n -> log.add("SYNC " + n));
                super.sync(names);
            }
        };
        phases.put("daily-1", "Completed");
        Sealer sealer =
                new Sealer(f.reader(), staging(recording), f.writer(recording), this::backup, b -> covered, f.clock);
        SealOutcome sealed = only(sealer.sealOnce("prod"));
        int setPut = log.indexOf("PUT " + ObjectNames.set(sealed.set()));
        assertThat(setPut).as("the set's PUT in %s", log).isPositive();
        assertThat(f.reader().load(sealed.set()).entries())
                .hasSize(4)
                .allSatisfy(e -> assertThat(log.indexOf("SYNC " + e.objectName()))
                        .as(e.objectName() + " synced before the set")
                        .isBetween(0, setPut));
    }

    @Test
    void anUnchangedVmUploadsOnlyItsStagingEntryAndKeepsItsRevision() {
        List<VmSnapshot> vms = RepoFixture.fleet(3, "a");
        f.backup(vms);
        MeteredBlobStore metered = new MeteredBlobStore(f.store);
        vms.forEach(v -> staging(metered).stage("daily-2", v));
        assertThat(metered.puts()).isEqualTo(3); // the three staging entries, no bundle
        VmSnapshot changed = RepoFixture.vm("ns1", "vm-1", 2, "changed");
        metered.reset();
        staging(metered).stage("daily-2", changed);
        assertThat(metered.puts()).isEqualTo(2); // its new bundle and its entry
        phases.put("daily-2", "Completed");
        SealOutcome sealed = only(sealer().sealOnce("prod"));
        Map<VmRef, Long> revisions = new HashMap<>();
        f.reader().load(sealed.set()).entries().forEach(e -> revisions.put(e.key(), e.revision()));
        assertThat(revisions).containsEntry(new VmRef("ns1", "vm-1"), 2L).containsEntry(new VmRef("ns0", "vm-0"), 1L);
    }

    @Test
    void anUnchangedVmWhoseParentEntryIsAPacksMemberIsStagedAndSealedWithItsPackMemberAndBase() {
        String big = "spec-".repeat(400);
        f.backup(List.of(RepoFixture.vm("a", "x", 1, big + "1"), RepoFixture.vmWithSecret("a", "s", big + "1")));
        f.clock.advance(Duration.ofMinutes(5));
        List<VmSnapshot> second =
                List.of(RepoFixture.vm("a", "x", 2, big + "2"), RepoFixture.vmWithSecret("a", "s", big + "2"));
        LoadedSet parent = f.reader().load(f.backup(second).setId());
        assertThat(parent.entries()).allSatisfy(e -> assertThat(e.packed()).isTrue());
        f.clock.advance(Duration.ofMinutes(5));
        MeteredBlobStore metered = new MeteredBlobStore(f.store);
        second.forEach(v -> {
            StagedVm staged = staging(metered).stage("daily-3", v);
            Entry p = parent.entry(v.key()).orElseThrow();
            assertThat(staged.member()).isEqualTo(p.member());
            assertThat(staged.base()).isEqualTo(p.base());
            assertThat(StagedVm.parse(staged.toBytes(), "staged")).isEqualTo(staged);
        });
        assertThat(metered.puts()).isEqualTo(2); // the two staging entries, no bundle
        phases.put("daily-3", "Completed");
        LoadedSet sealed = f.reader().load(only(sealer().sealOnce("prod")).set());
        assertThat(sealed.entries()).containsExactlyInAnyOrderElementsOf(parent.entries());
        sealed.entries().forEach(e -> assertThat(f.reader().bundle(e)).isNotNull());
    }

    @Test
    void aFailedOrDeletedBackupLeavesNoSetAndItsStagingIsRemoved() {
        phases.put("bad", "Failed");
        staging(f.store).stage("bad", RepoFixture.vm("a", "x", 1, "p"));
        staging(f.store).stage("gone", RepoFixture.vm("a", "y", 1, "p"));
        List<SealOutcome> outcomes = sealer().sealOnce("prod");
        assertThat(outcomes)
                .extracting(SealOutcome::action)
                .containsExactly(SealOutcome.Action.DISCARDED, SealOutcome.Action.DISCARDED);
        assertThat(outcomes.get(1).reason()).contains("does not exist");
        assertThat(f.reader().sets()).isEmpty();
        assertThat(f.store.list(Staging.PREFIX)).isEmpty();
    }

    @Test
    void aBackupStuckLongerThanMaxRunSecondsIsAbandoned() {
        phases.put("stuck", "InProgress");
        staging(f.store).stage("stuck", RepoFixture.vm("a", "x", 1, "p"));
        f.clock.advance(Duration.ofSeconds(RootObject.DEFAULT_MAX_RUN_SECONDS - 1));
        assertThat(only(sealer().sealOnce("prod")).action()).isEqualTo(SealOutcome.Action.WAITING);
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(only(sealer().sealOnce("prod")).action()).isEqualTo(SealOutcome.Action.DISCARDED);
        phases.put("stuck", "Completed");
        assertThat(sealer().sealOnce("prod")).isEmpty();
        assertThat(f.reader().sets()).isEmpty();
    }

    @Test
    void partiallyFailedSealsTheWrittenVmsAndNamesTheOthers() {
        phases.put("p", "PartiallyFailed");
        staging(f.store).stage("p", RepoFixture.vm("a", "ok", 1, "p"));
        staging(f.store).stage("p", RepoFixture.vm("a", "broken", 1, "p"));
        staging(f.store).fail("p", new VmRef("a", "broken"), "cannot reach the repository");
        covered = List.of(new VmRef("a", "ok"), new VmRef("a", "broken"), new VmRef("a", "unwritten"));
        SealOutcome sealed = only(sealer().sealOnce("prod"));
        assertThat(sealed.action()).isEqualTo(SealOutcome.Action.SEALED);
        assertThat(sealed.leftOut())
                .containsEntry(new VmRef("a", "broken"), "cannot reach the repository")
                .hasEntrySatisfying(
                        new VmRef("a", "unwritten"), why -> assertThat(why).contains("item failed"))
                .hasSize(2);
        assertThat(f.reader().load(sealed.set()).entries())
                .extracting(Entry::key)
                .containsExactly(new VmRef("a", "ok"));
    }

    @Test
    void aPassThatDiedAfterWritingTheSetOnlyCleansUp() {
        phases.put("r", "Completed");
        staging(f.store).stage("r", RepoFixture.vm("a", "x", 1, "p"));
        f.writer(f.store).seal(staging(f.store).staged("r"), "prod", "r"); // the set put, then the pass died
        f.clock.advance(Duration.ofSeconds(5));
        SealOutcome again = only(sealer().sealOnce("prod"));
        assertThat(again.action()).isEqualTo(SealOutcome.Action.ALREADY_SEALED);
        assertThat(f.reader().sets()).hasSize(1);
        assertThat(f.store.list(Staging.PREFIX)).isEmpty();
    }

    @Test
    void aStagedBundleThatIsGoneIsNeverNamedByASet() {
        phases.put("r", "Completed");
        StagedVm s = staging(f.store).stage("r", RepoFixture.vm("a", "x", 1, "p"));
        f.store.delete(s.objectName());
        // refused and named, not a failed pass: the other runs of the pass are still sealed
        SealOutcome o = only(sealer().sealOnce("prod"));
        assertThat(o.action()).isEqualTo(SealOutcome.Action.REFUSED);
        assertThat(o.reason()).contains("missing").contains("a/x");
        assertThat(f.reader().sets()).isEmpty();
    }

    @Test
    void secretDataIsStagedEncrypted() {
        StagedVm s = staging(f.store).stage("r", RepoFixture.vmWithSecret("a", "x", "hunter2"));
        assertThat(s.encrypted()).isTrue();
        assertThat(new String(f.store.get(s.objectName()).orElseThrow(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("hunter2");
        assertThatThrownBy(() -> new Staging(f.store, Optional.empty(), f.clock, f.random)
                        .stage("r", RepoFixture.vmWithSecret("a", "y", "z")))
                .hasMessageContaining("repository key");
    }

    @Test
    void pruneRemovesStagingOnlyOnceItIsOlderThanGraceAndCanNoLongerBeSealed() {
        PrunePolicy policy =
                new PrunePolicy(1, Duration.ZERO, Duration.ofSeconds(2 * RootObject.DEFAULT_MAX_RUN_SECONDS));
        f.backup(RepoFixture.fleet(1, "kept"));
        StagedVm s = staging(f.store).stage("never-sealed", RepoFixture.vm("a", "x", 1, "p"));
        f.clock.advance(policy.grace().minusSeconds(1));
        new Pruner(f.reader(), f.clock).prune(policy, false);
        assertThat(f.store.list(Staging.PREFIX)).hasSize(1);
        f.clock.advance(Duration.ofSeconds(1));
        PrunePlan plan = new Pruner(f.reader(), f.clock).prune(policy, false);
        assertThat(plan.deleteObjects()).contains("staging/never-sealed/vms/a/x.json");
        assertThat(f.store.list(Staging.PREFIX)).isEmpty();
        // its bundle is unreferenced: marked now, swept after another grace (§9)
        assertThat(plan.pendingObjects()).containsKey(s.objectName());
    }
}
