package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
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

    public RepoWriter(
            BlobStore store,
            PrivateKey signingKey,
            PublicKey publicKey,
            Optional<RepositoryKey> key,
            Clock clock,
            RandomGenerator random,
            String toolVersion) {
        this.store = store;
        this.signingKey = signingKey;
        this.publicKey = publicKey;
        this.key = key;
        this.clock = clock;
        this.random = random;
        this.toolVersion = toolVersion;
    }

    public BackupResult backup(List<VmSnapshot> vms, String sourceCluster, String run, Progress progress) {
        return backup(SnapshotStream.of(vms), vms.size(), sourceCluster, run, progress);
    }

    /**
     * Writes a set of the VMs {@code vms} hands out ({@code count} of them, for progress), holding one VM's snapshot
     * at a time: each bundle is put as its VM comes, and only the entries (about 100 bytes each) stay until the tree
     * is written (docs/architecture.md, "Memory"). A VM that comes twice fails the run (nothing is signed).
     */
    public BackupResult backup(SnapshotStream vms, int count, String sourceCluster, String run, Progress progress) {
        Instant started = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Run r = begin(started);
        Dictionaries dictionaries = dictionaries(r, vms);
        Set<VmRef> seen = new HashSet<>();
        List<VmRef> refused = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Salt salt = r.uploads().salt;
        Packer packer = new Packer(entries, r.uploads(), salt);
        int[] changed = {0};
        vms.forEach(vm -> {
            requireOnce(seen, vm);
            Entry prev = r.parent().entries().get(vm.key());
            byte[] plain = vm.bundleBytes();
            BundleId id = StoredBundle.idOf(vm, plain, key, prev);
            if (older(prev, vm.uid(), vm.generation(), id, started)) {
                refused.add(vm.key());
                entries.add(prev);
                return;
            }
            BundleIdentity.requireVm("the bundle", vm.key(), vm.uid(), vm.generation(), vm.vm());
            StoredBundle b = StoredBundle.store(
                    vm,
                    plain,
                    id,
                    key,
                    dictionaries,
                    i -> r.parent()
                            .bundles()
                            .getOrDefault(i, r.uploads().entries.get(i)),
                    () -> r.reader().deltaBase(prev, vm.holdsSecretData()),
                    packer,
                    salt,
                    (name, data) -> r.uploads().putBundle(name, data, 1));
            Entry e = next(prev, vm.key(), vm.uid(), vm.generation(), b, started);
            if (!packer.pending(b)) {
                r.uploads().entries.putIfAbsent(b.id(), e);
            }
            changed[0] += e == prev ? 0 : 1;
            entries.add(e);
            packer.flushWhenFull();
            progress.update("bundles", entries.size(), Math.max(count, entries.size()));
        });
        packer.flush();
        entries.sort(java.util.Comparator.comparing(Entry::key));
        refused.sort(null);
        r.uploads().dictionaries = dictionaries;
        return finish(r, entries, refused, changed[0], sourceCluster, run);
    }

    private static void requireOnce(Set<VmRef> seen, VmSnapshot vm) {
        if (!seen.add(vm.key())) {
            throw VmConfigException.invalid("VM " + vm.key() + " appears more than once in one backup");
        }
    }

    /**
     * Seals a run staged one VM at a time (repository-format.md §11): gives each staged VM its revision against
     * the latest set, checks that every bundle it names exists, and writes the sub-manifests and the signed set
     * manifest. The run started when its first VM was staged: {@code maxRunSeconds} counts from there (§9).
     */
    public BackupResult seal(List<StagedVm> staged, String sourceCluster, String run) {
        if (staged.isEmpty()) {
            throw VmConfigException.invalid("run " + run + " has no staged VM to seal");
        }
        Instant started = staged.stream()
                .map(StagedVm::stagedAt)
                .min(Instant::compareTo)
                .orElseThrow()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Run r = begin(started);
        List<VmRef> refused = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        List<String> stagedObjects = new ArrayList<>();
        int changed = 0;
        for (StagedVm vm :
                staged.stream().sorted((x, y) -> x.key().compareTo(y.key())).toList()) {
            Entry prev = r.parent().entries().get(vm.key());
            if (older(prev, vm.uid(), vm.generation(), vm.bundle(), started)) {
                refused.add(vm.key());
                entries.add(prev);
                continue;
            }
            StoredBundle b = new StoredBundle(
                    vm.bundle(),
                    vm.sha256(),
                    vm.size(),
                    vm.encrypted(),
                    vm.compressed(),
                    false,
                    vm.base(),
                    vm.member());
            Entry e = next(prev, vm.key(), vm.uid(), vm.generation(), b, started);
            if (e != prev) {
                requireStagedBundle(r.reader(), run, e);
                stagedObjects.addAll(e.objectNames());
            }
            changed += e == prev ? 0 : 1;
            entries.add(e);
        }
        r.uploads().dictionaries = Dictionaries.of(r.parent());
        // the stager may defer durability to here (§11): what the set will name is made durable before it is
        store.sync(stagedObjects);
        return finish(r, entries, refused, changed, sourceCluster, run);
    }

    /**
     * The dictionaries this run compresses with (§5.3): its parent's, else trained from the run's bundles — the
     * plain one from bundles without Secret data only, the sealed one from Secret-holding bundles, stored encrypted
     * — and put before any bundle that names them (so a visible set implies its dictionaries exist).
     */
    private Dictionaries dictionaries(Run r, SnapshotStream vms) {
        Optional<Dictionary> plain = r.parent().dictionary();
        Optional<Dictionary> secret = r.parent().secretDictionary();
        boolean trainSecret = secret.isEmpty() && key.isPresent();
        if (plain.isPresent() && !trainSecret) {
            return new Dictionaries(plain, secret);
        }
        Samples samples = Samples.of(vms);
        if (plain.isEmpty()) {
            plain = Dictionary.train(samples.plain()).map(Dictionary::of);
            plain.ifPresent(x -> r.uploads().put(ObjectNames.dictionaryV4(x.digest()), x.bytes()));
        }
        if (trainSecret) {
            secret = Dictionary.train(samples.secret()).map(bytes -> {
                byte[] stored = key.get().sealDictionary(bytes);
                Dictionary d = Dictionary.sealed(bytes, stored);
                r.uploads().put(ObjectNames.dictionaryV4(d.digest()), stored);
                return d;
            });
        }
        return new Dictionaries(plain, secret);
    }

    /**
     * Up to 256 bundle texts spread evenly over the run (in VM order), with and without Secret data. Found in two
     * walks of the VMs so that only the chosen bundles are ever held: the first learns which VMs there are (and
     * refuses one that comes twice), the second keeps the bundles of the chosen ones.
     */
    private record Samples(List<byte[]> plain, List<byte[]> secret) {
        static Samples of(SnapshotStream vms) {
            java.util.Map<VmRef, Boolean> secretByVm = new java.util.TreeMap<>();
            vms.forEach(v -> {
                if (secretByVm.put(v.key(), v.holdsSecretData()) != null) {
                    throw VmConfigException.invalid("VM " + v.key() + " appears more than once in one backup");
                }
            });
            java.util.Map<VmRef, Integer> plainAt = chosen(secretByVm, false);
            java.util.Map<VmRef, Integer> secretAt = chosen(secretByVm, true);
            byte[][] plain = new byte[plainAt.size()][];
            byte[][] secret = new byte[secretAt.size()][];
            vms.forEach(v -> {
                Integer p = plainAt.get(v.key());
                Integer s = secretAt.get(v.key());
                if (p != null) {
                    plain[p] = v.bundleBytes();
                } else if (s != null) {
                    secret[s] = v.bundleBytes();
                }
            });
            return new Samples(List.of(plain), List.of(secret));
        }

        /** Every step-th VM (in VM order) of those with or without Secret data, to its place among the samples. */
        private static java.util.Map<VmRef, Integer> chosen(java.util.Map<VmRef, Boolean> vms, boolean secret) {
            List<VmRef> of = vms.entrySet().stream()
                    .filter(e -> e.getValue() == secret)
                    .map(java.util.Map.Entry::getKey)
                    .toList();
            java.util.Map<VmRef, Integer> at = new java.util.HashMap<>();
            int step = Math.max(1, of.size() / 256);
            for (int i = 0; i < of.size(); i += step) {
                at.put(of.get(i), at.size());
            }
            return at;
        }
    }

    /**
     * Before a set names a staged VM's bundle the sealer checks it as a reader would (§11): it exists with the
     * staged size and sha256, decrypts under the repository key, and holds the VM the staged entry names with its
     * uid and generation. Velero's side cannot make the sealer sign a set that points a VM at another VM's bundle.
     * An entry copied unchanged from the parent was checked when the parent was sealed.
     */
    private static void requireStagedBundle(RepoReader reader, String run, Entry e) {
        try {
            reader.bundle(e);
        } catch (VmConfigException ex) {
            if (ex.kind() != VmConfigException.Kind.INTEGRITY) {
                throw ex;
            }
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    "run " + run + ": staged VM " + e.key() + " is refused: " + ex.getMessage()
                            + "; the set is not written");
        }
    }

    /**
     * Reads the root (checking that this writer may write and sign) and the parent set. The parent may be signed
     * by this writer or by any signer the root lists: after a key rotation the new signer continues the old
     * signer's history. A forged parent can only cost uploads or refuse a VM, never put other content under a
     * VM: a reused bundle is one whose name this writer computed from its own plaintext (§9).
     */
    private Run begin(Instant started) {
        RootObject root = RepoReader.readRoot(store);
        root.requireWritable("cannot write a set");
        requireSigner(root);
        List<java.security.PublicKey> trusted = new ArrayList<>(root.signers());
        trusted.add(publicKey);
        RepoReader reader = new RepoReader(store, Trust.keys(trusted), key);
        List<String> warnings = new ArrayList<>();
        Parent parent = Parent.latest(reader, warnings);
        // one salt for every frame, pack and node this run puts, so no earlier run's object carries their names (§5.6)
        return new Run(reader, root, parent, new Uploads(Salt.draw(random)), started, warnings);
    }

    /**
     * The revision about to be recorded (captured at the run's start) is OLDER than the parent's by the one revision
     * order (§8, {@link RevisionOrder#decide}): a stale input never rolls a VM back.
     */
    private static boolean older(Entry prev, String uid, long generation, BundleId bundle, Instant started) {
        return prev != null
                && RevisionOrder.decide(
                                        new RevisionOrder.Revision(uid, generation, started, bundle),
                                        RevisionOrder.Revision.of(prev))
                                .order()
                        == RevisionOrder.OLDER;
    }

    /** The previous entry when nothing changed, else the next revision captured at the run's start (§6). */
    private static Entry next(Entry prev, VmRef vm, String uid, long generation, StoredBundle b, Instant started) {
        if (prev != null && prev.bundle().equals(b.id()) && prev.uid().equals(uid) && prev.generation() == generation) {
            return prev;
        }
        return new Entry(
                vm,
                uid,
                generation,
                prev == null ? 1 : prev.revision() + 1,
                started,
                b.id(),
                b.sha256(),
                b.size(),
                b.encrypted(),
                b.compressed(),
                b.base(),
                b.member());
    }

    /**
     * The run's pack (repository-format.md §5.5): the delta frames of changed VMs are held (each at most half a full
     * frame) until their frames reach {@link Pack#TARGET_BYTES} or the run's VMs end, then put as one object, members
     * in VM order, and the entries waiting for it get its name, size and their member index. So a changed VM costs
     * its delta and no object, frame header, nonce or tag of its own, and the writer holds at most one pack.
     */
    private final class Packer implements StoredBundle.DeltaSink {
        /** What a pending member's entry records until its pack is put: no object has this hash. */
        private static final Digest PENDING = new Digest("0".repeat(64));

        private record Member(int slot, boolean encrypted, byte[] frame) {}

        private final List<Entry> entries;
        private final Uploads uploads;
        private final Salt salt;
        private final List<Member> pending = new ArrayList<>();
        private long bytes;

        Packer(List<Entry> entries, Uploads uploads, Salt salt) {
            this.entries = entries;
            this.uploads = uploads;
            this.salt = salt;
        }

        /** The frame's entry is the next one the run adds to {@code entries}; it waits for the pack's name. */
        @Override
        public StoredBundle pack(BundleId id, boolean encrypted, Digest base, byte[] frame) {
            pending.add(new Member(entries.size(), encrypted, frame));
            bytes += frame.length;
            return new StoredBundle(id, PENDING, 0, encrypted, true, true, Optional.of(base), 0);
        }

        boolean pending(StoredBundle b) {
            return b.sha256().equals(PENDING);
        }

        void flushWhenFull() {
            if (bytes >= Pack.TARGET_BYTES) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            pending.sort(
                    java.util.Comparator.comparing(m -> entries.get(m.slot()).key()));
            List<byte[]> plain = new ArrayList<>();
            List<byte[]> sealed = new ArrayList<>();
            int[] member = new int[pending.size()];
            for (int i = 0; i < pending.size(); i++) {
                Member m = pending.get(i);
                List<byte[]> section = m.encrypted() ? sealed : plain;
                member[i] = section.size();
                section.add(m.frame());
            }
            byte[] stored = Pack.write(plain, sealed, key, salt);
            Digest sha = Digest.sha256(stored);
            uploads.putBundle(ObjectNames.BUNDLES + sha.hex(), stored, pending.size());
            for (int i = 0; i < pending.size(); i++) {
                int slot = pending.get(i).slot();
                entries.set(slot, entries.get(slot).inPack(sha, stored.length, member[i]));
            }
            pending.clear();
            bytes = 0;
        }
    }

    private void requireSigner(RootObject root) {
        if (!root.allowsSigner(publicKey)) {
            throw VmConfigException.config("signing key " + SigningKeys.keyId(publicKey)
                    + " is not one of the repository's signers (vmconfig.json)");
        }
    }

    /** What a run read before writing: the state {@link #finish} writes the set against. */
    private record Run(
            RepoReader reader,
            RootObject root,
            Parent parent,
            Uploads uploads,
            Instant started,
            List<String> warnings) {}

    /** The manifest tree (or overlay), the maxRunSeconds check and the signed set manifest, last (§9). */
    private BackupResult finish(
            Run r, List<Entry> entries, List<VmRef> refused, int changed, String sourceCluster, String run) {
        SetManifest.Tree tree = writeTree(entries, r.parent(), r.uploads());
        Duration took = Duration.between(r.started(), clock.instant());
        if (took.toSeconds() >= r.root().maxRunSeconds()) {
            throw new VmConfigException(
                    VmConfigException.Kind.REFUSED,
                    "backup took " + took.toSeconds()
                            + "s, more than the repository's maxRunSeconds ("
                            + r.root().maxRunSeconds()
                            + "); its set is not written, so prune stays safe (repository-format.md §9)");
        }
        SetId id = SetId.after(r.reader().latest(), clock.instant(), random);
        SetManifest m = new SetManifest(
                id, r.root().repositoryId(), clock.instant(), sourceCluster, run, toolVersion, entries.size(), tree);
        Uploads uploads = r.uploads();
        uploads.put(ObjectNames.set(id), m.sign(signingKey, publicKey));
        return new BackupResult(
                id, entries.size(), changed, uploads.bundles, uploads.manifests, uploads.bytes, refused, r.warnings());
    }

    /**
     * The set's tree (§6.2). On a format 3 parent the run's changes (new or changed entries, removed VMs) become one
     * more overlay segment while the overlay stays within {@link ManifestTree#MAX_OVERLAY} segments and
     * {@link #overlayLimit} changes; no change at all reuses the parent's tree as it is (only the signed set is
     * uploaded). Otherwise the overlay is folded: the whole tree is built and only the nodes the parent does not
     * name are put, i.e. the paths to the changed VMs.
     */
    private SetManifest.Tree writeTree(List<Entry> entries, Parent parent, Uploads uploads) {
        ManifestTree.Known known = new ManifestTree.Known(parent.nodesByContent(), uploads.salt);
        java.util.function.BiConsumer<Digest, byte[]> put = (d, bytes) -> {
            uploads.put(ObjectNames.manifest(d), bytes);
            uploads.manifests++;
        };
        Optional<Digest> dictionary = uploads.dictionaries.plain().map(Dictionary::digest);
        Optional<Digest> secret = uploads.dictionaries.secret().map(Dictionary::digest);
        if (parent.tree().isPresent()) {
            SetManifest.Tree pt = parent.tree().get();
            List<ManifestTree.Change> changes = changes(entries, parent.entries());
            if (changes.isEmpty()) {
                return new SetManifest.Tree(
                        pt.root(), pt.overlay(), dictionary.or(pt::dictionary), secret.or(pt::secretDictionary));
            }
            if (pt.overlay().size() < ManifestTree.MAX_OVERLAY
                    && parent.overlayChanges() + changes.size() <= overlayLimit(entries.size())) {
                List<Digest> overlay = new ArrayList<>(pt.overlay());
                overlay.add(ManifestTree.overlay(changes, known, put));
                return new SetManifest.Tree(
                        pt.root(), overlay, dictionary.or(pt::dictionary), secret.or(pt::secretDictionary));
            }
        }
        return new SetManifest.Tree(ManifestTree.build(entries, known, put), List.of(), dictionary, secret);
    }

    /** The most changes an overlay holds before the next run folds it into the tree: 1/8 of the VMs, at least 256. */
    static int overlayLimit(int vmCount) {
        return Math.max(256, vmCount / 8);
    }

    private static List<ManifestTree.Change> changes(List<Entry> entries, java.util.Map<VmRef, Entry> parent) {
        List<ManifestTree.Change> out = new ArrayList<>();
        Set<VmRef> present = new HashSet<>();
        for (Entry e : entries) {
            present.add(e.key());
            Entry p = parent.get(e.key());
            if (!e.equals(p)) {
                // a delta of the key frame of the VM's entry beneath (the parent's): the segment need not name it
                boolean inherits =
                        p != null && e.base().isPresent() && e.base().get().equals(p.keyFrame());
                out.add(new ManifestTree.Change(e.key(), Optional.of(e), inherits));
            }
        }
        parent.keySet().stream()
                .filter(k -> !present.contains(k))
                .sorted()
                .forEach(k -> out.add(new ManifestTree.Change(k, Optional.empty())));
        return out;
    }

    /** Counts what this run uploads. */
    private final class Uploads {
        final Salt salt;
        final java.util.Map<BundleId, Entry> entries = new java.util.HashMap<>();
        Dictionaries dictionaries = Dictionaries.NONE;
        int bundles;
        int manifests;
        long bytes;

        Uploads(Salt salt) {
            this.salt = salt;
        }

        void put(String name, byte[] data) {
            store.put(name, data);
            bytes += data.length;
        }

        /** Puts one object holding {@code count} bundles (a pack holds several, §5.5). */
        void putBundle(String name, byte[] data, int count) {
            put(name, data);
            bundles += count;
        }
    }
}
