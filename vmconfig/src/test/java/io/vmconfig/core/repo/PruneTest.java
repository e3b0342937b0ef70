package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.adapters.memory.InMemoryBlobStore;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.testing.InterceptingBlobStore;
import io.vmconfig.testing.LaggingListBlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Retention, mark-and-sweep with a grace period, and prune during a backup (repository-format.md §9). */
class PruneTest {
    private static final Duration MAX_RUN = Duration.ofSeconds(RootObject.DEFAULT_MAX_RUN_SECONDS);
    private static final PrunePolicy KEEP_ONE = new PrunePolicy(1, Duration.ZERO, MAX_RUN.multipliedBy(2));

    @Test
    void retentionKeepsTheLastNAndEverythingYoungerThanTheAge() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        List<PrunePlanner.SetAge> sets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant t = now.minus(Duration.ofDays(10 - i));
            sets.add(new PrunePlanner.SetAge(SetId.next(t, new java.util.Random(i)), t));
        }
        List<SetId> kept = PrunePlanner.retained(sets, now, new PrunePolicy(2, Duration.ofDays(7), Duration.ZERO));
        // the last two (days 5 and 6 ago), plus days 7 (not older than 7 days) → 3 sets
        assertThat(kept)
                .containsExactly(sets.get(5).id(), sets.get(4).id(), sets.get(3).id());
    }

    @Test
    void setsAndObjectsAreMarkedFirstAndDeletedOnlyAfterTheGrace() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        PrunePolicy p = new PrunePolicy(1, Duration.ZERO, Duration.ofHours(12));
        Map<String, Instant> unreferenced = Map.of(
                "bundles/old", now.minus(Duration.ofDays(3)),
                "bundles/fresh", now.minus(Duration.ofHours(1)),
                "bundles/marked-long-ago", now.minus(Duration.ofDays(3)),
                "bundles/marked-recently", now.minus(Duration.ofDays(3)));
        SetId s1 = SetId.next(now.minus(Duration.ofDays(3)), new java.util.Random(1));
        SetId s2 = SetId.next(now.minus(Duration.ofDays(2)), new java.util.Random(2));
        SetId s3 = SetId.next(now.minus(Duration.ofDays(1)), new java.util.Random(3));
        PrunePlanner.Marks previous = new PrunePlanner.Marks(
                Map.of(s1, now.minus(Duration.ofHours(13))),
                Map.of(
                        "bundles/marked-long-ago", now.minus(Duration.ofHours(13)),
                        "bundles/marked-recently", now.minus(Duration.ofHours(1))));
        List<PrunePlanner.SetAge> ages = List.of(
                new PrunePlanner.SetAge(s1, now.minus(Duration.ofDays(3))),
                new PrunePlanner.SetAge(s2, now.minus(Duration.ofDays(2))),
                new PrunePlanner.SetAge(s3, now.minus(Duration.ofDays(1))));
        PrunePlan plan = PrunePlanner.plan(ages, List.of(s3), unreferenced, previous, now, p);
        assertThat(plan.deleteSets()).containsExactly(s1);
        assertThat(plan.pendingSets()).containsOnlyKeys(s2);
        assertThat(plan.deleteObjects()).containsExactly("bundles/marked-long-ago");
        assertThat(plan.pendingObjects()).containsOnlyKeys("bundles/old", "bundles/marked-recently");
        assertThat(plan.pendingObjects().get("bundles/marked-recently"))
                .isEqualTo(previous.objects().get("bundles/marked-recently"));
    }

    @Test
    void aGraceShorterThanTwiceTheLongestRunIsRefused() {
        RepoFixture f = RepoFixture.inMemory();
        assertThatThrownBy(
                        () -> new Pruner(f.reader(), f.clock).prune(new PrunePolicy(1, Duration.ZERO, MAX_RUN), false))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG));
    }

    /**
     * A second revision unlike the first (random hex, which neither a dictionary nor a delta shortens), so that it
     * is stored as a full frame and its first revision is named by the dropped sets only (§5.4: a delta's base is
     * kept as long as the delta is named; {@link #pruneKeepsTheDeltaBaseOfANamedBundle}).
     */
    private static final String NO_DELTA = Digest.sha256("x2".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .hex()
            + Digest.sha256("x2b".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .hex()
            + Digest.sha256("x2c".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .hex();

    @Test
    void pruneKeepsTheDeltaBaseOfANamedBundle() {
        RepoFixture f = RepoFixture.inMemory();
        String big = "x".repeat(2000);
        f.backup(List.of(RepoFixture.vm("a", "x", 1, big + "1"), RepoFixture.vm("a", "y", 1, "y1")));
        Entry x1 = f.reader().load(f.reader().latest().orElseThrow()).entries().get(0);
        f.clock.advance(Duration.ofDays(2));
        f.backup(List.of(RepoFixture.vm("a", "x", 2, big + "2"), RepoFixture.vm("a", "y", 1, "y1")));
        Entry x2 = f.reader().load(f.reader().latest().orElseThrow()).entries().get(0);
        assertThat(x2.base()).contains(x1.sha256()); // stored as a delta of its first revision
        for (int run = 0; run < 6; run++) {
            f.clock.advance(MAX_RUN.multipliedBy(2));
            new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        }
        assertThat(f.reader().sets()).hasSize(1);
        assertThat(f.store.get(x1.objectName())).isPresent(); // only the dropped set named it, but x2 needs it
        assertThat(f.reader().bundleBytes(x2)).isNotEmpty();
    }

    @Test
    void pruneCollectsWhatOnlyDroppedSetsNamedOverFourRuns() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(List.of(RepoFixture.vm("a", "x", 1, "x1"), RepoFixture.vm("a", "y", 1, "y1")));
        Entry x1 = f.reader().load(f.reader().latest().orElseThrow()).entries().get(0);
        f.clock.advance(Duration.ofDays(2));
        f.backup(List.of(RepoFixture.vm("a", "x", 2, NO_DELTA), RepoFixture.vm("a", "y", 1, "y1")));

        PrunePlan dropSet = new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        assertThat(dropSet.pendingSets()).hasSize(1);
        assertThat(dropSet.deleteSets()).isEmpty();
        assertThat(dropSet.pendingObjects()).isEmpty(); // the dropped set still protects what it names

        f.clock.advance(MAX_RUN.multipliedBy(2));
        PrunePlan deleteSet = new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        assertThat(deleteSet.deleteSets()).hasSize(1);
        assertThat(f.reader().sets()).hasSize(1);
        assertThat(deleteSet.deleteObjects()).isEmpty();

        f.clock.advance(MAX_RUN.multipliedBy(2));
        PrunePlan mark = new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        assertThat(mark.pendingObjects()).containsKey(x1.objectName());
        assertThat(f.store.get(x1.objectName())).isPresent();

        f.clock.advance(MAX_RUN.multipliedBy(2));
        PrunePlan sweep = new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        assertThat(sweep.deleteObjects()).contains(x1.objectName());
        assertThat(f.store.get(x1.objectName())).isEmpty();
        assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).ok()).isTrue();
    }

    /**
     * Backup B reads its parent P, then — while B runs — another backup C replaces P, and prune drops P and marks
     * the bundle X that only P named, although B is about to name X again. B finishes within maxRunSeconds; the
     * next prune, a grace later, must keep X.
     */
    @Test
    void pruneDuringABackupLosesNothing() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(List.of(RepoFixture.vm("a", "x", 1, "x1"), RepoFixture.vm("a", "y", 1, "y1")));
        f.clock.advance(MAX_RUN.multipliedBy(4)); // X is old: prune may mark it as soon as nothing names it
        AtomicBoolean raced = new AtomicBoolean();
        BlobStore duringB = new InterceptingBlobStore(f.store, name -> {
            if (raced.compareAndSet(false, true)) {
                f.backup(List.of(RepoFixture.vm("a", "x", 2, NO_DELTA), RepoFixture.vm("a", "y", 1, "y1")));
                PrunePlan p = new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
                assertThat(p.pendingSets()).hasSize(1);
                f.clock.advance(MAX_RUN.dividedBy(2));
            }
        });
        BackupResult b = f.writer(duringB)
                .backup(
                        List.of(RepoFixture.vm("a", "x", 1, "x1"), RepoFixture.vm("a", "y", 2, "y2")),
                        "prod",
                        "B",
                        Progress.NONE);
        assertThat(raced).isTrue();
        pruneUntilOnlyThisSetIsLeftIntact(f, b.setId());
    }

    /** Four prune runs a grace apart collect everything else; the set and all it names must survive. */
    private static void pruneUntilOnlyThisSetIsLeftIntact(RepoFixture f, SetId survivor) {
        for (int run = 0; run < 4; run++) {
            f.clock.advance(MAX_RUN.multipliedBy(2));
            new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        }
        assertThat(f.reader().sets()).containsExactly(survivor);
        LoadedSet set = f.reader().load(survivor);
        assertThat(set.entries()).hasSize(2);
        set.entries().forEach(e -> assertThat(f.reader().bundle(e)).isNotNull());
        assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).ok()).isTrue();
    }

    /**
     * The hard case: B's listing lags, so B takes as parent a set P that prune has already dropped (a newer set Q
     * exists that B does not see yet); prune deletes P's manifest while B runs, and marks the bundle X that only P
     * named, which B reuses. The sweep a grace later must find B's set and keep X.
     */
    @Test
    void pruneDuringABackupWhoseListingLagsLosesNothing() {
        RepoFixture f = RepoFixture.inMemory();
        LaggingListBlobStore bView = new LaggingListBlobStore(f.store);
        f.backup(List.of(RepoFixture.vm("a", "x", 1, "x1"), RepoFixture.vm("a", "y", 1, "y1")));
        f.clock.advance(MAX_RUN.multipliedBy(4));
        f.writer(bView)
                .backup(
                        List.of(RepoFixture.vm("a", "x", 2, NO_DELTA), RepoFixture.vm("a", "y", 1, "y1")),
                        "prod",
                        "Q",
                        Progress.NONE); // Q: B's view does not list it yet
        assertThat(new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false).pendingSets())
                .hasSize(1); // P dropped
        f.clock.advance(MAX_RUN.multipliedBy(2));
        AtomicBoolean raced = new AtomicBoolean();
        BlobStore duringB = new InterceptingBlobStore(bView, name -> {
            if (raced.compareAndSet(false, true)) {
                assertThat(new Pruner(f.reader(), f.clock)
                                .prune(KEEP_ONE, false)
                                .deleteSets())
                        .hasSize(1);
                f.clock.advance(MAX_RUN.dividedBy(4));
                PrunePlan mark = new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
                assertThat(mark.pendingObjects()).isNotEmpty(); // X, which B is about to name again
                f.clock.advance(MAX_RUN.dividedBy(4));
            }
        });
        BackupResult b = f.writer(duringB)
                .backup(
                        List.of(RepoFixture.vm("a", "x", 1, "x1"), RepoFixture.vm("a", "y", 2, "y2")),
                        "prod",
                        "B",
                        Progress.NONE);
        assertThat(raced).isTrue();
        pruneUntilOnlyThisSetIsLeftIntact(f, b.setId());
    }

    @Test
    void aSetTheListingDoesNotShowYetLosesNothingToPrune() {
        LaggingListBlobStore[] lagging = new LaggingListBlobStore[1];
        RepoFixture f = new RepoFixture(c -> lagging[0] = new LaggingListBlobStore(new InMemoryBlobStore(c)));
        lagging[0].settle();
        BackupResult b = f.backup(RepoFixture.fleet(4, "p"));
        assertThat(f.reader().sets()).isEmpty(); // written, not listed yet
        new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        f.clock.advance(MAX_RUN.dividedBy(2)); // the listing catches up within maxRunSeconds
        lagging[0].settle();
        for (int run = 0; run < 3; run++) {
            f.clock.advance(MAX_RUN.multipliedBy(3));
            new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        }
        assertThat(f.reader().sets()).containsExactly(b.setId());
        assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).ok()).isTrue();
    }

    @Test
    void aPruneThatFailsAtAnyRequestLeavesARepositoryThatVerifies() {
        for (int n = 1; ; n++) {
            io.vmconfig.testing.FaultyBlobStore[] faulty = new io.vmconfig.testing.FaultyBlobStore[1];
            RepoFixture f =
                    new RepoFixture(c -> faulty[0] = new io.vmconfig.testing.FaultyBlobStore(new InMemoryBlobStore(c)));
            for (int i = 0; i < 3; i++) {
                f.backup(List.of(RepoFixture.vm("a", "x", i + 1, "x" + i), RepoFixture.vm("a", "y", 1, "y")));
                f.clock.advance(MAX_RUN.multipliedBy(2));
            }
            boolean failed = false;
            for (int run = 0; run < 4; run++) {
                if (run == 3) {
                    faulty[0].failRequest(n);
                }
                try {
                    new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
                } catch (VmConfigException e) {
                    failed = true;
                }
                faulty[0].heal();
                f.clock.advance(MAX_RUN.multipliedBy(2));
            }
            assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).problems())
                    .isEmpty();
            LoadedSet latest = f.reader().load(f.reader().latest().orElseThrow());
            latest.entries().forEach(e -> assertThat(f.reader().bundle(e)).isNotNull());
            if (!failed) {
                return;
            }
        }
    }

    @Test
    void aBackupThatRanLongerThanMaxRunSecondsWritesNoSet() {
        RepoFixture f = RepoFixture.inMemory();
        BlobStore slow = new InterceptingBlobStore(f.store, name -> f.clock.advance(MAX_RUN));
        assertThatThrownBy(() -> f.writer(slow).backup(RepoFixture.fleet(2, "p"), "prod", "slow", Progress.NONE))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.REFUSED));
        assertThat(f.reader().sets()).isEmpty();
    }
}
