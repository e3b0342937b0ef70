package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A VM's bundle as stored (repository-format.md §5): its id, and sha256 and size of the stored bytes. Uploaded only
 * when no entry the writer may reuse (its parent's, §9) already names it; then compressed (with the dictionary, if
 * any), encrypted when it holds Secret data, and stored under {@code bundles/<sha256 of the stored bytes>} (§5.3).
 */
record StoredBundle(BundleId id, Digest sha256, long size, boolean encrypted, boolean compressed, boolean uploaded) {

    /** The content id of a bundle: SHA-256 of its plaintext, or its keyed hash when it holds Secret data (§5). */
    static BundleId idOf(VmSnapshot vm, byte[] plain, Optional<RepositoryKey> key) {
        if (!vm.holdsSecretData()) {
            return new BundleId(Digest.sha256(plain));
        }
        return key.orElseThrow(() -> VmConfigException.config("VM " + vm.key()
                        + " has Secret data, which is stored encrypted: the repository key is needed (--key FILE)"))
                .nameFor(plain);
    }

    static StoredBundle store(
            VmSnapshot vm,
            byte[] plain,
            BundleId id,
            Optional<RepositoryKey> key,
            Dictionaries dictionaries,
            Function<BundleId, Entry> reusable,
            BiConsumer<String, byte[]> put) {
        boolean encrypt = vm.holdsSecretData();
        Entry reused = reusable.apply(id);
        if (reused != null) {
            return new StoredBundle(id, reused.sha256(), reused.size(), encrypt, reused.compressed(), false);
        }
        byte[] frame = BundleCompression.compress(plain, encrypt ? dictionaries.secret() : dictionaries.plain());
        byte[] stored = encrypt ? key.orElseThrow().encryptV3(id, frame) : frame;
        Digest sha = Digest.sha256(stored);
        put.accept(ObjectNames.BUNDLES + sha.hex(), stored);
        return new StoredBundle(id, sha, stored.length, encrypt, true, true);
    }
}
