package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A VM's bundle as stored (repository-format.md §5): its id, and sha256 and size of the stored bytes. Uploaded only
 * when no entry the writer may reuse (its parent's, §9) already names it.
 */
record StoredBundle(BundleId id, Digest sha256, long size, boolean encrypted, boolean uploaded) {

    static StoredBundle store(VmSnapshot vm, Optional<RepositoryKey> key, Function<BundleId, Entry> reusable,
                              BiConsumer<String, byte[]> put) {
        byte[] plain = vm.bundleBytes();
        boolean encrypt = vm.holdsSecretData();
        BundleId id = encrypt ? key.orElseThrow(() -> VmConfigException.config("VM " + vm.key()
                + " has Secret data, which is stored encrypted: the repository key is needed (--key FILE)"))
                .nameFor(plain) : new BundleId(Digest.sha256(plain));
        Entry reused = reusable.apply(id);
        if (reused != null) {
            return new StoredBundle(id, reused.sha256(), reused.size(), encrypt, false);
        }
        byte[] stored = encrypt ? key.get().encrypt(id, plain) : plain;
        put.accept(ObjectNames.bundle(id), stored);
        return new StoredBundle(id, Digest.sha256(stored), stored.length, encrypt, true);
    }
}
