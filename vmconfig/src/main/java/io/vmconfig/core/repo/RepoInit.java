package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.random.RandomGenerator;

/** Creates a repository: writes the root object once (repository-format.md §4). */
public final class RepoInit {
    private RepoInit() {}

    public static RootObject init(
            BlobStore store, List<PublicKey> signers, RepositoryKey key, Clock clock, RandomGenerator random) {
        if (store.get(ObjectNames.ROOT).isPresent()) {
            throw new VmConfigException(
                    VmConfigException.Kind.REFUSED, "a vmconfig repository already exists here; it is left as it is");
        }
        if (signers.isEmpty()) {
            throw VmConfigException.config("a repository needs at least one signer public key");
        }
        RootObject root = new RootObject(
                RootObject.VERSION,
                RepositoryId.random(random),
                clock.instant(),
                signers,
                key.keyId(),
                RootObject.DEFAULT_MAX_RUN_SECONDS);
        store.put(ObjectNames.ROOT, root.toBytes());
        return root;
    }

    /**
     * Moves the root to the current format version (repository-format.md §12). Touches nothing but
     * {@code vmconfig.json}: sets, sub-manifests and bundles of version 1 stay readable as they are. Needs the
     * repository key, so a wrong key cannot upgrade a repository it could not write.
     */
    public static RootObject upgrade(BlobStore store, RepositoryKey key) {
        RootObject root = RepoReader.readRoot(store);
        RepoReader.checkKey(root, key);
        if (root.version() == RootObject.VERSION) {
            return root;
        }
        RootObject up = root.upgraded();
        store.put(ObjectNames.ROOT, up.toBytes());
        return up;
    }
}
