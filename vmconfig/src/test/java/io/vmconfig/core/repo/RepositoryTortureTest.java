package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.fs.FolderBlobStore;
import io.vmconfig.adapters.memory.InMemoryBlobStore;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.testing.ForwardingBlobStore;
import io.vmconfig.testing.MutableClock;
import io.vmconfig.testing.TortureBlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, the randomized torture test (in the spirit of restic's and kopia's repository tests). A seeded generator
 * runs random operation sequences against the memory and folder stores behind a fault-injecting double
 * ({@link TortureBlobStore}: failed puts, stored-but-unacknowledged puts, a crash between any two puts, transient
 * failures of any request, a lagging listing): backups of a changing VM fleet (reverts to earlier configs, Secret
 * changes, stale inputs), several backups at once, Velero-style staged runs sealed later, a key rotation, prune with
 * random retention, garbage in every folder. After every step, on the settled store, it checks:
 * <ol>
 *   <li>every set that once verified still verifies and restores, unless a prune retention dropped it;</li>
 *   <li>the newest set that verified is always there;</li>
 *   <li>nothing that verifies restores other bytes than were backed up under that bundle name, nor another VM.</li>
 * </ol>
 * Bounded to about 40 s inside {@code mvn verify}. {@code -Dtorture.minutes=N} runs longer;
 * {@code -Dtorture.seed=S} replays the one sequence with seed S (printed when a sequence fails).
 */
class RepositoryTortureTest {
    private static final Duration DEFAULT_BUDGET = Duration.ofSeconds(40);
    private static final int STEPS = 30;

    @TempDir
    Path tmp;

    @Test
    void randomOperationSequencesNeverLoseOrAlterAVerifiedSet() throws Exception {
        String replay = System.getProperty("torture.seed", "");
        String m = System.getProperty("torture.minutes", "").strip();
        double minutes = m.isEmpty() ? 0 : Double.parseDouble(m);
        if (!replay.isBlank()) {
            long seed = Long.parseLong(replay.strip());
            System.out.println("repository torture: replaying sequence " + seed);
            runSequence(seed, 0);
            return;
        }
        long master = new SecureRandom().nextLong();
        Duration budget = minutes > 0 ? Duration.ofMillis((long) (minutes * 60_000)) : DEFAULT_BUDGET;
        System.out.println("repository torture: master seed " + master + ", budget " + budget);
        Random seeds = new Random(master);
        long deadline = System.nanoTime() + budget.toNanos();
        int sequences = 0;
        long steps = 0;
        while (System.nanoTime() < deadline) {
            steps += runSequence(seeds.nextLong(), sequences++);
        }
        System.out.println("repository torture: " + sequences + " sequences, " + steps + " steps, all invariants held");
        assertThat(sequences).isPositive();
    }

    /**
     * The window of repository-format.md §9 that prune's last-modified re-read cannot close, hit on purpose: prune
     * sweeps an old, unreferenced, marked bundle X, and exactly between its re-read of X and its delete (the store
     * double runs the writer there) a backup uploads the same content again and names it in its set. Unsalted
     * frames (before §5.6) gave the upload X's very name, and prune then deleted the object the new set names; with
     * the run's salt the upload has a name of its own and the new set restores.
     */
    @Test
    void aWriterThatUploadsAMarkedObjectsContentBetweenPrunesReReadAndDeleteLosesNothing() {
        RepoFixture f = new RepoFixture(c -> new TortureBlobStore(new InMemoryBlobStore(c), c));
        TortureBlobStore store = (TortureBlobStore) f.store;
        VmSnapshot reverting = RepoFixture.vm("lab", "a", 1, "first");
        VmSnapshot steady = RepoFixture.vm("lab", "b", 1, "steady");
        BackupResult first = f.backup(List.of(reverting, steady));
        String x = f.reader().load(first.setId()).entries().stream()
                .filter(e -> e.key().equals(reverting.key()))
                .findFirst()
                .orElseThrow()
                .objectName();
        f.backup(List.of(steady)); // the VM leaves: only the first set names X
        PrunePolicy keepOne =
                new PrunePolicy(1, Duration.ZERO, Duration.ofSeconds(2 * RootObject.DEFAULT_MAX_RUN_SECONDS));
        BackupResult[] raced = new BackupResult[1];
        store.atDelete(x::equals, () -> raced[0] = f.backup(List.of(reverting, steady))); // the VM comes back
        PrunePlan sweep = null;
        for (int run = 0; run < 4; run++) { // drop the first set, delete its manifest, mark X, sweep X
            f.clock.advance(keepOne.grace().plusSeconds(1));
            sweep = new Pruner(f.reader(), f.clock).prune(keepOne, false);
        }
        assertThat(sweep.deleteObjects()).as("prune swept X, racing the writer").contains(x);
        assertThat(raced[0]).as("the writer ran inside prune's delete of X").isNotNull();
        RepoReader reader = f.reader();
        LoadedSet set = reader.load(raced[0].setId());
        assertThat(set.problems()).isEmpty();
        for (Entry e : set.entries()) {
            assertThat(reader.bundleBytes(e))
                    .as("%s in the set written during the sweep", e.key())
                    .isEqualTo((e.key().equals(reverting.key()) ? reverting : steady).bundleBytes());
        }
    }

    private int runSequence(long seed, int index) throws Exception {
        Sequence s = new Sequence(seed, tmp.resolve("seq-" + index));
        try {
            return s.run();
        } catch (Throwable t) {
            System.out.println("repository torture: sequence FAILED, replay with -Dtorture.seed=" + seed + "\n"
                    + String.join("\n", s.log));
            throw new AssertionError("torture sequence failed; replay with -Dtorture.seed=" + seed + ": " + t, t);
        }
    }

    /** A folder store whose objects carry the test clock's time as last-modified, as the memory store does. */
    private static final class ClockedFolder extends ForwardingBlobStore {
        private final Path root;
        private final MutableClock clock;

        ClockedFolder(Path root, MutableClock clock) {
            super(new FolderBlobStore(root));
            this.root = root;
            this.clock = clock;
        }

        @Override
        public void put(String name, byte[] data) {
            inner.put(name, data);
            try {
                Files.setLastModifiedTime(root.resolve(name), FileTime.from(clock.instant()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One VM of the generated fleet: its generation only grows, its config and Secret come from a few variants. */
    private static final class FleetVm {
        final VmRef key;
        final boolean secret;
        long generation = 1;
        int variant;
        int secretValue;

        FleetVm(VmRef key, boolean secret) {
            this.key = key;
            this.secret = secret;
        }

        VmSnapshot snapshot(long gen) {
            VmSnapshot plain = RepoFixture.vm(key.namespace(), key.name(), gen, "variant-" + variant);
            if (!secret) {
                return plain;
            }
            ObjectNode s = CanonicalJson.object();
            s.put("apiVersion", "v1").put("kind", "Secret");
            s.putObject("metadata").put("namespace", key.namespace()).put("name", key.name() + "-cloudinit");
            s.putObject("stringData").put("userdata", "password: value-" + secretValue);
            return new VmSnapshot(plain.key(), plain.uid(), gen, plain.vm(), List.of(s));
        }
    }

    private static final class Sequence {
        final long seed;
        final Random r;
        final List<String> log = new ArrayList<>();
        final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        final TortureBlobStore store;
        final BlobStore settled;
        final RepositoryKey key;
        final KeyPair signerA = SigningKeys.generate(new SecureRandom());
        final KeyPair signerB = SigningKeys.generate(new SecureRandom());
        final KeyPair foreign = SigningKeys.generate(new SecureRandom());
        boolean rotated;
        final List<FleetVm> fleet = new ArrayList<>();
        /** The plaintext of every bundle name any writer was ever given. */
        final Map<BundleId, byte[]> produced = new ConcurrentHashMap<>();
        /** Sets that verified completely at some check. */
        final Set<SetId> accepted = new HashSet<>();
        /** Sets a prune may have deleted: those retention dropped on the settled view just before it ran. */
        final Set<SetId> mayVanish = new HashSet<>();
        /** Sets writers reported written, with the bytes each VM must restore to (refused VMs excluded). */
        final Map<SetId, Map<VmRef, byte[]>> written = new ConcurrentHashMap<>();

        SetId newestAccepted;

        Sequence(long seed, Path folder) {
            this.seed = seed;
            this.r = new Random(seed);
            BlobStore base = r.nextBoolean() ? new InMemoryBlobStore(clock) : new ClockedFolder(folder, clock);
            this.settled = base;
            this.store = new TortureBlobStore(base, clock);
            byte[] k = new byte[32];
            r.nextBytes(k);
            this.key = RepositoryKey.of(k);
            RepoInit.init(base, List.of(signerA.getPublic()), key, clock, r);
            // mostly a few VMs; sometimes enough for inner tree nodes and a trained dictionary (format 3, §5.3, §6.2)
            int n = r.nextInt(4) == 0 ? 65 + r.nextInt(60) : 2 + r.nextInt(5);
            for (int i = 0; i < n; i++) {
                fleet.add(new FleetVm(new VmRef(i % 2 == 0 ? "lab" : "prod", "vm-" + i), i < 2));
            }
            log.add("store " + base.getClass().getSimpleName() + ", " + n + " VMs");
            if (r.nextInt(3) == 0) {
                // history written by format version 2, then 'repo upgrade': it must keep verifying and restoring
                List<VmSnapshot> in = input(r);
                SetId legacy = RepoFixture.writeVersion2Set(base, key, signerA, in, clock, r);
                Map<VmRef, byte[]> expect = new TreeMap<>();
                in.forEach(v -> expect.put(v.key(), v.bundleBytes()));
                written.put(legacy, expect);
                RepoInit.upgrade(base, key);
                log.add("version 2 set " + legacy + " (" + in.size() + " VMs), upgraded to version "
                        + RootObject.VERSION);
            }
        }

        int run() throws Exception {
            for (int step = 0; step < STEPS; step++) {
                int op = r.nextInt(100);
                String what;
                if (op < 30) {
                    what = backup();
                } else if (op < 45) {
                    what = concurrentBackups();
                } else if (op < 55) {
                    what = stagedRun();
                } else if (op < 72) {
                    what = prune();
                } else if (op < 88) {
                    what = garbage();
                } else if (op < 93 && !rotated) {
                    what = rotate();
                } else {
                    what = "advance";
                }
                clock.advance(Duration.ofMinutes(r.nextInt(r.nextBoolean() ? 60 : 24 * 60)));
                log.add("step " + step + ": " + what);
                store.disarm();
                check();
            }
            return STEPS;
        }

        private void arm() {
            double rate = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.06;
            int crash = r.nextInt(4) == 0 ? r.nextInt(12) : -1;
            Duration lag = Duration.ofMinutes(r.nextInt(3) == 0 ? r.nextInt(60) : 0);
            store.arm(new Random(r.nextLong()), rate, crash, lag);
        }

        /** This run's input: the fleet changed at random, sometimes a VM left out or fed a stale generation. */
        private List<VmSnapshot> input(Random rr) {
            List<VmSnapshot> out = new ArrayList<>();
            synchronized (fleet) {
                for (FleetVm vm : fleet) {
                    int c = rr.nextInt(100);
                    if (c < 25) {
                        vm.variant = rr.nextInt(3); // may revert to an earlier config
                        vm.generation++;
                    } else if (c < 40 && vm.secret) {
                        vm.secretValue = rr.nextInt(3); // a Secret change, possibly back to an earlier value
                    }
                    if (rr.nextInt(10) == 0) {
                        continue;
                    }
                    long gen = rr.nextInt(15) == 0 && vm.generation > 1 ? vm.generation - 1 : vm.generation;
                    out.add(vm.snapshot(gen));
                }
            }
            for (VmSnapshot s : out) {
                byte[] plain = s.bundleBytes();
                produced.put(s.holdsSecretData() ? key.nameFor(plain) : new BundleId(Digest.sha256(plain)), plain);
                produced.put(key.contentDigest(plain), plain); // the version 4 id (§5.4)
            }
            return out;
        }

        private KeyPair signer() {
            return rotated ? signerB : signerA;
        }

        private RepoWriter writer(Random rr) {
            KeyPair s = signer();
            return new RepoWriter(store, s.getPrivate(), s.getPublic(), Optional.of(key), clock, rr, "torture");
        }

        private void record(BackupResult b, List<VmSnapshot> in) {
            Map<VmRef, byte[]> expect = new TreeMap<>();
            in.stream()
                    .filter(v -> !b.refusedOlder().contains(v.key()))
                    .forEach(v -> expect.put(v.key(), v.bundleBytes()));
            written.put(b.setId(), expect);
        }

        private static boolean unavailable(VmConfigException e) {
            return e.kind() == VmConfigException.Kind.TRANSIENT || e.kind() == VmConfigException.Kind.IO;
        }

        private String backup() {
            List<VmSnapshot> in = input(r);
            Random rr = new Random(r.nextLong());
            arm();
            try {
                BackupResult b = writer(rr).backup(in, "prod", "cli", Progress.NONE);
                record(b, in);
                return "backup " + b.setId() + " (" + in.size() + " VMs, refused " + b.refusedOlder() + ")";
            } catch (VmConfigException e) {
                if (!unavailable(e)) {
                    throw e;
                }
                return "backup failed: " + e.getMessage();
            }
        }

        private String concurrentBackups() throws Exception {
            int n = 2 + r.nextInt(3);
            List<List<VmSnapshot>> inputs = new ArrayList<>();
            List<Random> rs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inputs.add(input(r));
                rs.add(new Random(r.nextLong()));
            }
            boolean withPrune = r.nextBoolean();
            PrunePolicy policy = randomPolicy();
            if (withPrune) {
                mayDrop(policy);
            }
            arm();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            List<String> outcomes = new ArrayList<>();
            if (withPrune) { // a prune while the backups run (repository-format.md §9 "safe while a backup runs")
                threads.add(startAfter(
                        start,
                        errors,
                        () -> {
                            // the sets this prune deletes: with the backups' new sets listed, retention may drop
                            // sets the dry run above kept, and a prune the faults stop half-way returns no plan
                            Set<SetId> deleting = ConcurrentHashMap.newKeySet();
                            BlobStore watched = new io.vmconfig.testing.ForwardingBlobStore(store) {
                                @Override
                                public void delete(String name) {
                                    SetId id = SetId.fromObjectName(name);
                                    if (id != null) {
                                        deleting.add(id);
                                    }
                                    super.delete(name);
                                }
                            };
                            try {
                                PrunePlan plan = new Pruner(reader(watched), clock).prune(policy, false);
                                return "prune deleted " + plan.deleteSets() + " and objects " + plan.deleteObjects();
                            } finally {
                                synchronized (mayVanish) {
                                    mayVanish.addAll(deleting);
                                }
                            }
                        },
                        outcomes));
            }
            for (int i = 0; i < n; i++) {
                int w = i;
                threads.add(startAfter(
                        start,
                        errors,
                        () -> {
                            BackupResult b = writer(rs.get(w)).backup(inputs.get(w), "prod", "cli-" + w, Progress.NONE);
                            record(b, inputs.get(w));
                            return b.setId().value();
                        },
                        outcomes));
            }
            start.countDown();
            for (Thread t : threads) {
                // a writer or prune still running would race the checks that follow (a prune's deleted sets are
                // known only once it returns): wait for all, and say so if one hangs instead of checking half-way
                t.join(TimeUnit.MINUTES.toMillis(10));
                if (t.isAlive()) {
                    throw new AssertionError("a concurrent writer or prune still runs after 10 minutes: " + outcomes);
                }
            }
            if (!errors.isEmpty()) {
                throw new AssertionError(
                        "a concurrent writer failed other than by an unavailable store", errors.get(0));
            }
            return n + " backups at once: " + outcomes;
        }

        /**
         * Starts {@code op} on its own thread once {@code start} opens; records its outcome, or its failure unless
         * the store was unavailable (the one way a writer or prune may fail).
         */
        private static Thread startAfter(
                CountDownLatch start,
                List<Throwable> errors,
                java.util.concurrent.Callable<String> op,
                List<String> outcomes) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    String outcome = op.call();
                    synchronized (outcomes) {
                        outcomes.add(outcome);
                    }
                } catch (VmConfigException e) {
                    if (!unavailable(e)) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            t.start();
            return t;
        }

        private String stagedRun() {
            List<VmSnapshot> in = input(r);
            if (in.isEmpty()) {
                return "staged run with no VM";
            }
            String run = "velero-" + Integer.toHexString(r.nextInt());
            Random rr = new Random(r.nextLong());
            arm();
            try {
                Staging staging = new Staging(store, Optional.of(key), clock, rr);
                for (VmSnapshot vm : in) {
                    staging.stage(run, vm);
                }
                store.disarm(); // the sealer reads what was staged; faults again while it writes
                List<StagedVm> staged = new Staging(settled, Optional.of(key), clock, rr).staged(run);
                arm();
                BackupResult b = writer(rr).seal(staged, "prod", run);
                record(b, in);
                return "staged run " + run + " sealed as " + b.setId();
            } catch (VmConfigException e) {
                if (!unavailable(e)) {
                    throw e;
                }
                return "staged run " + run + " failed: " + e.getMessage();
            }
        }

        private String prune() {
            PrunePolicy p = randomPolicy();
            PrunePlan dry = mayDrop(p);
            if (r.nextBoolean()) {
                // a backup inside prune's first delete of a bundle: between its last look at it and the delete (§9)
                List<VmSnapshot> in = input(r);
                Random rr = new Random(r.nextLong());
                store.atDelete(n -> n.startsWith(ObjectNames.BUNDLES), () -> {
                    try {
                        BackupResult b = writer(rr).backup(in, "prod", "cli-in-prune", Progress.NONE);
                        record(b, in);
                        log.add("  backup " + b.setId() + " inside prune's delete");
                    } catch (VmConfigException e) {
                        if (!unavailable(e)) {
                            throw e;
                        }
                        log.add("  backup inside prune's delete failed: " + e.getMessage());
                    }
                });
            }
            arm();
            try {
                PrunePlan plan = new Pruner(reader(store), clock).prune(p, false);
                assertThat(dry.deleteSets()).containsAll(plan.deleteSets());
                return "prune keep " + p.keepLast() + "/" + p.keepWithin() + ": deleted " + plan.deleteSets() + " and "
                        + plan.deleteObjects().size() + " objects";
            } catch (VmConfigException e) {
                if (!unavailable(e)) {
                    throw e;
                }
                return "prune failed: " + e.getMessage();
            } finally {
                store.atDelete(n -> false, () -> {}); // a hook no delete reached goes with its prune
            }
        }

        private PrunePolicy randomPolicy() {
            return new PrunePolicy(
                    1 + r.nextInt(3),
                    Duration.ofHours(r.nextBoolean() ? 0 : r.nextInt(72)),
                    Duration.ofSeconds(2 * RootObject.DEFAULT_MAX_RUN_SECONDS + r.nextInt(3600)));
        }

        /** What retention drops on the settled view: the most a run of this prune may delete now. */
        private PrunePlan mayDrop(PrunePolicy p) {
            PrunePlan dry = new Pruner(reader(settled), clock).prune(p, true);
            List<SetId> dropped = new ArrayList<>(dry.deleteSets());
            dropped.addAll(dry.pendingSets().keySet());
            assertThat(dropped).as("the newest verified set is never dropped").doesNotContain(newestAccepted);
            synchronized (mayVanish) {
                mayVanish.addAll(dry.deleteSets());
            }
            return dry;
        }

        private String garbage() {
            String hex = Digest.sha256(Long.toString(r.nextLong()).getBytes(StandardCharsets.UTF_8))
                    .hex();
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            SetId future = SetId.next(clock.instant().plus(Duration.ofMinutes(r.nextInt(60 * 24 * 30))), r);
            String name;
            byte[] data = junk;
            switch (r.nextInt(11)) { // sets/ most often: junk there is what could make retention go wrong
                case 0 -> name = "bundles/" + hex;
                case 1 -> name = "manifests/" + hex;
                case 2, 3, 4 -> name = ObjectNames.set(future);
                case 5, 6 -> {
                    name = ObjectNames.set(future);
                    data = foreignSet(future);
                }
                case 7 -> name = "sets/stray-" + r.nextInt(100) + ".txt";
                case 8 -> name = "staging/garbage-run/vms/lab/x.json";
                case 9 -> name = ObjectNames.PENDING;
                default -> name = "junk/" + r.nextInt(100);
            }
            if (settled.head(name).isPresent() && !name.equals(ObjectNames.PENDING)) {
                return "garbage skipped (" + name + " exists)";
            }
            settled.put(name, data);
            return "garbage " + name;
        }

        /** A well-formed set signed by a key no reader trusts, naming the newest valid set's sub-manifests. */
        private byte[] foreignSet(SetId id) {
            RootObject root = RepoReader.readRoot(settled);
            SetManifest named = new SetManifest(
                    id, root.repositoryId(), clock.instant(), "evil", "evil", "x", 0, List.of(Optional.empty()));
            if (newestAccepted != null
                    && settled.head(ObjectNames.set(newestAccepted)).isPresent()) {
                named = reader(settled).manifest(newestAccepted);
            }
            return new SetManifest(
                            id,
                            root.repositoryId(),
                            clock.instant(),
                            "evil",
                            "evil",
                            "x",
                            0,
                            named.buckets(),
                            named.tree())
                    .sign(foreign.getPrivate(), foreign.getPublic());
        }

        private String rotate() {
            RootObject root = RepoReader.readRoot(settled);
            settled.put(
                    ObjectNames.ROOT,
                    new RootObject(
                                    root.version(),
                                    root.repositoryId(),
                                    root.created(),
                                    List.of(signerA.getPublic(), signerB.getPublic()),
                                    root.encryptionKeyId(),
                                    root.maxRunSeconds())
                            .toBytes());
            rotated = true;
            return "key rotation: signer B writes from now on";
        }

        private RepoReader reader(BlobStore on) {
            List<PublicKey> trusted = List.of(signerA.getPublic(), signerB.getPublic());
            return new RepoReader(on, Trust.keys(trusted), Optional.of(key));
        }

        /** The invariants, on the settled store. */
        private void check() {
            RepoReader reader = reader(settled);
            Set<SetId> listed = new HashSet<>(reader.sets());
            for (SetId id : reader.sets()) {
                Optional<String> why = verifies(reader, id);
                if (why.isPresent()) {
                    assertThat(accepted)
                            .as("set %s verified before, now: %s", id, why.get())
                            .doesNotContain(id);
                    assertThat(written)
                            .as("set %s was written by a writer, yet: %s", id, why.get())
                            .doesNotContainKey(id);
                    continue;
                }
                accepted.add(id);
                if (newestAccepted == null || id.compareTo(newestAccepted) > 0) {
                    newestAccepted = id;
                }
            }
            for (SetId id : accepted) {
                if (!listed.contains(id)) {
                    assertThat(mayVanish)
                            .as("set %s verified before and is gone, but no retention dropped it", id)
                            .contains(id);
                }
            }
            for (SetId id : written.keySet()) {
                if (!listed.contains(id)) {
                    assertThat(mayVanish)
                            .as("written set %s is gone, but no retention dropped it", id)
                            .contains(id);
                }
            }
            if (newestAccepted != null) {
                assertThat(listed)
                        .as("the newest verified set %s survives", newestAccepted)
                        .contains(newestAccepted);
            }
        }

        /** Empty when the set verifies completely and every VM restores the bytes backed up; else why not. */
        private Optional<String> verifies(RepoReader reader, SetId id) {
            LoadedSet set;
            try {
                set = reader.load(id);
            } catch (VmConfigException e) {
                return Optional.of(e.getMessage());
            }
            if (!set.problems().isEmpty()) {
                return Optional.of(set.problems().toString());
            }
            Map<VmRef, byte[]> expect = written.get(id);
            for (Entry e : set.entries()) {
                byte[] plain;
                try {
                    plain = reader.bundleBytes(e);
                    reader.bundle(e);
                } catch (VmConfigException ex) {
                    return Optional.of(ex.getMessage());
                }
                assertThat(produced)
                        .as("set %s names bundle %s that no writer produced", id, e.bundle())
                        .containsKey(e.bundle());
                assertThat(plain)
                        .as("set %s, %s restores other bytes than backed up", id, e.key())
                        .isEqualTo(produced.get(e.bundle()));
                // the bounded lookup (one VM: overlay, then the tree path) agrees with the whole set
                assertThat(reader.entry(set.manifest(), e.key()))
                        .as("set %s, lookup of %s", id, e.key())
                        .contains(e);
                if (expect != null && expect.containsKey(e.key())) {
                    assertThat(plain)
                            .as("set %s, %s is not this run's input", id, e.key())
                            .isEqualTo(expect.get(e.key()));
                }
            }
            if (expect != null) {
                assertThat(set.entries().stream().map(Entry::key).toList()).containsAll(expect.keySet());
            }
            return Optional.empty();
        }
    }
}
