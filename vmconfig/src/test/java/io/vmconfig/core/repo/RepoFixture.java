package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.memory.InMemoryBlobStore;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.testing.MutableClock;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/** A repository on a given store with a hand-moved clock, a seeded random source and fresh keys. */
final class RepoFixture {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private static final java.util.concurrent.atomic.AtomicLong SEEDS = new java.util.concurrent.atomic.AtomicLong(42);
    final Random random = new Random(SEEDS.incrementAndGet());
    final KeyPair signer = SigningKeys.generate(new SecureRandom());
    final byte[] rawKey = RepositoryKey.generate(random);
    final RepositoryKey key = RepositoryKey.of(rawKey);
    final BlobStore store;

    /** {@code storeOf} builds the store from the fixture's clock, so stored objects carry the test's time. */
    RepoFixture(Function<MutableClock, BlobStore> storeOf) {
        this.store = storeOf.apply(clock);
        RepoInit.init(store, List.of(signer.getPublic()), key, clock, random);
    }

    static RepoFixture inMemory() {
        return new RepoFixture(InMemoryBlobStore::new);
    }

    RepoWriter writer(BlobStore on) {
        return new RepoWriter(on, signer.getPrivate(), signer.getPublic(), Optional.of(key), clock, random, "test");
    }

    BackupResult backup(List<VmSnapshot> vms) {
        return writer(store).backup(vms, "prod", "test-run", Progress.NONE);
    }

    RepoReader reader() {
        return new RepoReader(store, Trust.keys(List.of(signer.getPublic())), Optional.of(key));
    }

    static VmSnapshot vm(String ns, String name, long generation, String payload) {
        ObjectNode vm = CanonicalJson.object();
        vm.put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        vm.putObject("metadata")
                .put("namespace", ns)
                .put("name", name)
                .putObject("annotations")
                .put(io.vmconfig.core.vm.Annotations.SOURCE_UID, "uid-" + name)
                .put(io.vmconfig.core.vm.Annotations.SOURCE_GENERATION, Long.toString(generation));
        vm.putObject("spec").put("runStrategy", "Always").put("payload", payload);
        return new VmSnapshot(new VmRef(ns, name), "uid-" + name, generation, vm, List.of());
    }

    static VmSnapshot vmWithSecret(String ns, String name, String secretValue) {
        VmSnapshot plain = vm(ns, name, 1, "with-secret");
        ObjectNode secret = CanonicalJson.object();
        secret.put("apiVersion", "v1").put("kind", "Secret");
        secret.putObject("metadata").put("namespace", ns).put("name", name + "-cloudinit");
        secret.putObject("stringData").put("userdata", "password: " + secretValue);
        return new VmSnapshot(plain.key(), plain.uid(), 1, plain.vm(), List.of(secret));
    }

    static List<VmSnapshot> fleet(int n, String payload) {
        List<VmSnapshot> vms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vms.add(vm("ns" + i % 7, "vm-" + i, 1, payload + i));
        }
        return vms;
    }

    /**
     * Writes a set the way a format version 2 writer did (repository-format.md §12): bundles uncompressed under their
     * id (Secret-holding ones encrypted with the version 2 scheme), one sub-manifest per bucket, a format 1 body, and
     * makes the root version 2. What {@code repo upgrade} then moves forward.
     */
    static SetId writeVersion2Set(
            BlobStore store,
            RepositoryKey key,
            KeyPair signer,
            List<VmSnapshot> vms,
            java.time.Clock clock,
            java.util.random.RandomGenerator random) {
        RootObject root = RepoReader.readRoot(store);
        store.put(
                ObjectNames.ROOT,
                new RootObject(
                                2,
                                root.repositoryId(),
                                root.created(),
                                root.signers(),
                                root.encryptionKeyId(),
                                root.maxRunSeconds())
                        .toBytes());
        int fanout = 4;
        List<List<Entry>> buckets = new ArrayList<>();
        for (int i = 0; i < fanout; i++) {
            buckets.add(new ArrayList<>());
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (VmSnapshot vm : vms) {
            byte[] plain = vm.bundleBytes();
            boolean secret = vm.holdsSecretData();
            BundleId id = secret ? key.nameFor(plain) : new BundleId(Digest.sha256(plain));
            byte[] stored = secret ? key.encrypt(id, plain) : plain;
            store.put(ObjectNames.bundle(id), stored);
            buckets.get(Buckets.of(vm.key(), fanout))
                    .add(new Entry(
                            vm.key(),
                            vm.uid(),
                            vm.generation(),
                            1,
                            now,
                            id,
                            Digest.sha256(stored),
                            stored.length,
                            secret));
        }
        List<Optional<Digest>> names = new ArrayList<>();
        for (int i = 0; i < fanout; i++) {
            if (buckets.get(i).isEmpty()) {
                names.add(Optional.empty());
                continue;
            }
            byte[] sub = new SubManifest(i, buckets.get(i)).toBytes();
            store.put(ObjectNames.manifest(Digest.sha256(sub)), sub);
            names.add(Optional.of(Digest.sha256(sub)));
        }
        SetId id = SetId.next(clock.instant(), random);
        store.put(
                ObjectNames.set(id),
                new SetManifest(id, root.repositoryId(), clock.instant(), "prod", "v2", "0.1.0", vms.size(), names)
                        .sign(signer.getPrivate(), signer.getPublic()));
        return id;
    }
}
