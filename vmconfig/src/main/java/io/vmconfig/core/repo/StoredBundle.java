package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A VM's bundle as stored (repository-format.md §5): its id, and sha256 and size of the stored bytes. Uploaded only
 * when no entry the writer may reuse (its parent's, §9) already names it; then framed (version 4, §5.4) as a delta
 * against the VM's previous key frame when that is at most half the size of a full frame — handed to the run's
 * pack (§5.5) — else compressed with the dictionary, salted with the run's salt (§5.6), encrypted when it holds
 * Secret data, and stored under {@code bundles/<sha256 of the stored bytes>}. {@code member} is its index in a pack, or
 * {@link Entry#NOT_PACKED}.
 */
record StoredBundle(
        BundleId id,
        Digest sha256,
        long size,
        boolean encrypted,
        boolean compressed,
        boolean uploaded,
        Optional<Digest> base,
        int member) {

    StoredBundle(BundleId id, Digest sha256, long size, boolean encrypted, boolean compressed, boolean uploaded) {
        this(id, sha256, size, encrypted, compressed, uploaded, Optional.empty(), Entry.NOT_PACKED);
    }

    /** Where the delta frames of a run go: into its pack (§5.5); returns the bundle as its entry will record it. */
    interface DeltaSink {
        StoredBundle pack(BundleId id, boolean encrypted, Digest base, byte[] frame);
    }

    /** For a writer that never deltas (vm-backup, which reads no base per Execute, §11). */
    static final DeltaSink NO_DELTAS = (id, encrypted, base, frame) -> {
        throw new IllegalStateException("this writer stores no delta bundles");
    };

    /** A delta base: the key frame's object name and its plaintext (§5.4). */
    record DeltaBase(Digest name, byte[] plain) {}

    /**
     * The content id of a bundle (version 4, §5.4): its 16-byte keyed content digest when the writer holds the
     * repository key (always, for Secret data), else the SHA-256 of its plaintext. When {@code prev}, the VM's
     * entry in the parent, carries a content id of versions 1 to 3 that equals this plaintext's, that id is kept:
     * an unchanged VM keeps its entry across the upgrade instead of being uploaded and revised again.
     */
    static BundleId idOf(VmSnapshot vm, byte[] plain, Optional<RepositoryKey> key, Entry prev) {
        if (prev != null
                && !prev.bundle().isShort()
                && legacyIdOf(vm, plain, key).equals(prev.bundle())) {
            return prev.bundle();
        }
        if (!vm.holdsSecretData()) {
            return key.map(k -> k.contentDigest(plain)).orElseGet(() -> new BundleId(Digest.sha256(plain)));
        }
        return requireKey(vm, key).contentDigest(plain);
    }

    /** The content id versions 2 and 3 gave: SHA-256 of the plaintext, or its keyed name (§5.1, §5.2). */
    private static BundleId legacyIdOf(VmSnapshot vm, byte[] plain, Optional<RepositoryKey> key) {
        if (!vm.holdsSecretData()) {
            return new BundleId(Digest.sha256(plain));
        }
        return requireKey(vm, key).nameFor(plain);
    }

    private static RepositoryKey requireKey(VmSnapshot vm, Optional<RepositoryKey> key) {
        return key.orElseThrow(() -> VmConfigException.config("VM " + vm.key()
                + " has Secret data, which is stored encrypted: the repository key is needed (--key FILE)"));
    }

    static StoredBundle store(
            VmSnapshot vm,
            byte[] plain,
            BundleId id,
            Optional<RepositoryKey> key,
            Dictionaries dictionaries,
            Function<BundleId, Entry> reusable,
            Supplier<Optional<DeltaBase>> deltaBase,
            DeltaSink deltas,
            Salt salt,
            BiConsumer<String, byte[]> put) {
        boolean encrypt = vm.holdsSecretData();
        Entry reused = reusable.apply(id);
        if (reused != null) {
            return new StoredBundle(
                    id,
                    reused.sha256(),
                    reused.size(),
                    encrypt,
                    reused.compressed(),
                    false,
                    reused.base(),
                    reused.member());
        }
        byte[] frame = BundleCompression.frame(plain, encrypt ? dictionaries.secret() : dictionaries.plain(), salt);
        Optional<DeltaBase> b = deltaBase.get();
        if (b.isPresent()) {
            byte[] delta =
                    BundleCompression.delta(plain, b.get().name(), b.get().plain());
            if (delta.length * 2 <= frame.length) {
                return deltas.pack(id, encrypt, b.get().name(), delta);
            }
        }
        byte[] stored = encrypt ? key.orElseThrow().encryptV4(frame) : frame;
        Digest sha = Digest.sha256(stored);
        put.accept(ObjectNames.BUNDLES + sha.hex(), stored);
        return new StoredBundle(id, sha, stored.length, encrypt, true, true);
    }
}
