package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.adapters.embedded.EmbeddedS3;
import io.vmconfig.adapters.fs.FolderBlobStore;
import io.vmconfig.core.VmConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 item 1, "two backups running at once": 2, 3 and 5 writers (CLI-style backups, and a Velero-style run
 * staged VM by VM and then sealed) write into one repository at the same moment, on the folder store and on S3 over
 * HTTP. Their inputs overlap and revert each other's Secret values. Every writer either writes a set that verifies
 * and restores exactly its input, or fails with TRANSIENT/IO and writes no set (repository-format.md §9
 * "Concurrent writers").
 */
class ConcurrentWritersTest {
    @TempDir
    static Path tmp;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String store : List.of("folder", "s3")) {
            for (int writers : List.of(2, 3, 5)) {
                out.add(Arguments.of(store, writers));
            }
        }
        return out.stream();
    }

    private static BlobStore open(String kind, int writers) throws Exception {
        return kind.equals("folder")
                ? new FolderBlobStore(tmp.resolve("repo-" + writers + "-" + System.nanoTime()))
                : EmbeddedS3.get().newStore("concurrent/" + writers);
    }

    /** Writer {@code w}'s input in round {@code round}: shared VMs whose Secret flips between two values. */
    private static List<VmSnapshot> input(int w, int round) {
        List<VmSnapshot> vms = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String value = (i + w + round) % 2 == 0 ? "alpha" : "beta";
            vms.add(RepoFixture.vmWithSecret("lab", "db-" + i, value));
            vms.add(RepoFixture.vm("lab", "web-" + i, 1, "w" + ((i + w) % 3)));
        }
        return vms;
    }

    @ParameterizedTest(name = "{0} store, {1} writers at once")
    @MethodSource("cases")
    void item1_concurrentWritersEachEndWithAVerifiedSetOrFailCleanly(String kind, int writers) throws Exception {
        BlobStore store = open(kind, writers);
        RepoFixture f = new RepoFixture(clock -> store);
        f.backup(input(99, 0)); // a parent every writer starts from
        Map<SetId, List<VmSnapshot>> written = new ConcurrentHashMap<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 1; round <= 2; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    int r = round;
                    done.add(pool.submit(() -> {
                        List<VmSnapshot> in = input(writer, r);
                        RepoWriter rw = new RepoWriter(
                                store,
                                f.signer.getPrivate(),
                                f.signer.getPublic(),
                                Optional.of(f.key),
                                f.clock,
                                new Random(writer * 31L + r),
                                "test");
                        start.await();
                        try {
                            if (writer == writers - 1) { // the Velero path: stage VM by VM, then seal
                                Staging staging = new Staging(store, Optional.of(f.key), f.clock, new Random(writer));
                                String run = "velero-" + writers + "-" + r;
                                for (VmSnapshot vm : in) {
                                    staging.stage(run, vm);
                                }
                                written.put(
                                        rw.seal(staging.staged(run), "prod", run)
                                                .setId(),
                                        in);
                                staging.discard(run);
                            } else {
                                written.put(
                                        rw.backup(in, "prod", "cli-" + writer, Progress.NONE)
                                                .setId(),
                                        in);
                            }
                        } catch (VmConfigException e) {
                            if (e.kind() != VmConfigException.Kind.TRANSIENT && e.kind() != VmConfigException.Kind.IO) {
                                failures.add(e);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> d : done) {
                    d.get(120, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).as("only an unavailable store may fail a writer").isEmpty();
        RepoReader reader = f.reader();
        assertThat(new RepoVerifier(reader).verify(Progress.NONE).problems()).isEmpty();
        assertThat(reader.sets()).hasSize(written.size() + 1);
        for (Map.Entry<SetId, List<VmSnapshot>> w : written.entrySet()) {
            LoadedSet set = reader.load(w.getKey());
            for (VmSnapshot vm : w.getValue()) {
                Entry e = set.entry(vm.key()).orElseThrow();
                assertThat(reader.bundleBytes(e))
                        .as("%s in %s", vm.key(), w.getKey())
                        .isEqualTo(vm.bundleBytes());
                reader.bundle(e);
            }
        }
    }
}
