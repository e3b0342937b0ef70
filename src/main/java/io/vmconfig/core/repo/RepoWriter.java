package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;

import io.vmconfig.core.VmConfigException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Writes one set: new bundles, new sub-manifests, then the signed set manifest (repository-format.md §9). */
public final class RepoWriter {
    private final BlobStore store;
    private final PrivateKey signingKey;
    private final PublicKey publicKey;
    private final Optional<RepositoryKey> key;
    private final Clock clock;
    private final RandomGenerator random;
    private final String toolVersion;

    public RepoWriter(BlobStore store, PrivateKey signingKey, PublicKey publicKey, Optional<RepositoryKey> key,
                      Clock clock, RandomGenerator random, String toolVersion) {
        this.store = store;
        this.signingKey = signingKey;
        this.publicKey = publicKey;
        this.key = key;
        this.clock = clock;
        this.random = random;
        this.toolVersion = toolVersion;
    }

    public BackupResult backup(List<VmSnapshot> vms, String sourceCluster, String run, Progress progress) {
        Instant started = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Set<VmRef> seen = new HashSet<>();
        vms.stream().filter(v -> !seen.add(v.key())).findFirst().ifPresent(v -> {
            throw VmConfigException.invalid("VM " + v.key() + " appears more than once in one backup");
        });
        RepoReader reader = new RepoReader(store, Trust.keys(List.of(publicKey)), key);
        RootObject root = reader.root();
        if (!root.allowsSigner(publicKey)) {
            throw VmConfigException.config("signing key " + SigningKeys.keyId(publicKey)
                    + " is not one of the repository's signers (vmconfig.json)");
        }
        List<String> warnings = new ArrayList<>();
        Parent parent = Parent.latest(reader, warnings);
        Uploads uploads = new Uploads();
        List<VmRef> refused = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        int changed = 0;
        for (VmSnapshot vm : vms.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList()) {
            Entry prev = parent.entries().get(vm.key());
            if (prev != null && prev.uid().equals(vm.uid()) && vm.generation() < prev.generation()) {
                refused.add(vm.key());
                entries.add(prev);
                continue;
            }
            Entry e = entryFor(vm, prev, parent, uploads, started);
            changed += e == prev ? 0 : 1;
            entries.add(e);
            progress.update("bundles", entries.size(), vms.size());
        }
        int fanout = Fanout.choose(parent.fanout(), entries.size());
        List<Optional<Digest>> buckets = writeSubManifests(entries, fanout, parent, uploads);
        Duration took = Duration.between(started, clock.instant());
        if (took.getSeconds() >= root.maxRunSeconds()) {
            throw new VmConfigException(VmConfigException.Kind.REFUSED, "backup took " + took.getSeconds()
                    + "s, more than the repository's maxRunSeconds (" + root.maxRunSeconds()
                    + "); its set is not written, so prune stays safe (repository-format.md §9)");
        }
        SetId id = SetId.after(reader.latest(), clock.instant(), random);
        SetManifest m = new SetManifest(id, root.repositoryId(), clock.instant(), sourceCluster, run, toolVersion,
                entries.size(), buckets);
        uploads.put(ObjectNames.set(id), m.sign(signingKey, publicKey));
        return new BackupResult(id, entries.size(), changed, uploads.bundles, uploads.manifests, uploads.bytes,
                refused, warnings);
    }

    private Entry entryFor(VmSnapshot vm, Entry prev, Parent parent, Uploads uploads, Instant now) {
        byte[] plain = vm.bundleBytes();
        boolean encrypt = vm.holdsSecretData();
        BundleId id;
        if (encrypt) {
            id = key.orElseThrow(() -> VmConfigException.config("VM " + vm.key()
                    + " has Secret data, which is stored encrypted: pass --key FILE")).nameFor(plain);
        } else {
            id = new BundleId(Digest.sha256(plain));
        }
        if (prev != null && prev.bundle().equals(id) && prev.uid().equals(vm.uid())
                && prev.generation() == vm.generation()) {
            return prev;
        }
        Entry reused = parent.bundles().getOrDefault(id, uploads.entries.get(id));
        Digest sha;
        long size;
        if (reused != null) {
            sha = reused.sha256();
            size = reused.size();
        } else {
            byte[] stored = encrypt ? key.get().encrypt(id, plain, random) : plain;
            sha = Digest.sha256(stored);
            size = stored.length;
            uploads.put(ObjectNames.bundle(id), stored);
            uploads.bundles++;
        }
        Entry e = new Entry(vm.key(), vm.uid(), vm.generation(), prev == null ? 1 : prev.revision() + 1, now, id,
                sha, size, encrypt);
        uploads.entries.putIfAbsent(id, e);
        return e;
    }

    private List<Optional<Digest>> writeSubManifests(List<Entry> entries, int fanout, Parent parent,
                                                     Uploads uploads) {
        List<List<Entry>> byBucket = new ArrayList<>();
        for (int i = 0; i < fanout; i++) {
            byBucket.add(new ArrayList<>());
        }
        entries.forEach(e -> byBucket.get(Buckets.of(e.key(), fanout)).add(e));
        List<Optional<Digest>> names = new ArrayList<>();
        Set<Digest> written = new HashSet<>();
        for (int i = 0; i < fanout; i++) {
            if (byBucket.get(i).isEmpty()) {
                names.add(Optional.empty());
                continue;
            }
            byte[] bytes = new SubManifest(i, byBucket.get(i)).toBytes();
            Digest d = Digest.sha256(bytes);
            if (!parent.subManifests().contains(d) && written.add(d)) {
                uploads.put(ObjectNames.manifest(d), bytes);
                uploads.manifests++;
            }
            names.add(Optional.of(d));
        }
        return names;
    }

    /** Counts what this run uploads. */
    private final class Uploads {
        final java.util.Map<BundleId, Entry> entries = new java.util.HashMap<>();
        int bundles;
        int manifests;
        long bytes;

        void put(String name, byte[] data) {
            store.put(name, data);
            bytes += data.length;
        }
    }
}
