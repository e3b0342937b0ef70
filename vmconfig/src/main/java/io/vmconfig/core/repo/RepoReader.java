package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads a repository and verifies what it reads (repository-format.md §7). */
public final class RepoReader {
    private final BlobStore store;
    private final RootObject root;
    private final Trust trust;
    private final Optional<RepositoryKey> key;
    private final Map<Digest, SubManifest> subManifests = new HashMap<>();

    public RepoReader(BlobStore store, Trust trust, Optional<RepositoryKey> key) {
        this.store = store;
        this.root = readRoot(store);
        this.trust = trust;
        this.key = key;
        key.ifPresent(k -> checkKey(root, k));
    }

    /** The root object; CONFIG when there is no repository, REFUSED for an unknown version. */
    public static RootObject readRoot(BlobStore store) {
        byte[] data = store.get(ObjectNames.ROOT).orElseThrow(() -> VmConfigException.config(
                "no vmconfig repository here (" + ObjectNames.ROOT + " is missing): run 'vmconfig repo init'"));
        return RootObject.parse(data);
    }

    static void checkKey(RootObject root, RepositoryKey key) {
        if (!root.encryptionKeyId().equals(key.keyId())) {
            throw VmConfigException.config("the repository key (id " + key.keyId()
                    + ") is not this repository's key (id " + root.encryptionKeyId() + ")");
        }
    }

    public RootObject root() {
        return root;
    }

    public BlobStore store() {
        return store;
    }

    /** Visible sets, oldest first. */
    public List<SetId> sets() {
        return store.list(ObjectNames.SETS).stream().map(SetId::fromObjectName).filter(Objects::nonNull).sorted()
                .toList();
    }

    public Optional<SetId> latest() {
        List<SetId> all = sets();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * {@code latest} or a set id; CONFIG when there is none. {@code latest} is the newest set whose manifest
     * verifies against this reader's trust (§7): a junk or foreign file that sorts after it does not hide the
     * repository's newest trusted set (verify and prune name such files). INTEGRITY when sets exist but none
     * verifies, naming the newest.
     */
    public SetId resolve(String idOrLatest) {
        if (idOrLatest == null || "latest".equals(idOrLatest)) {
            List<SetId> all = sets();
            if (all.isEmpty()) {
                throw VmConfigException.config("the repository has no sets yet");
            }
            VmConfigException newest = null;
            for (int i = all.size() - 1; i >= 0; i--) {
                try {
                    manifest(all.get(i));
                    return all.get(i);
                } catch (VmConfigException e) {
                    if (e.kind() != VmConfigException.Kind.INTEGRITY) {
                        throw e;
                    }
                    newest = newest == null ? e : newest;
                }
            }
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, "no set of the repository verifies; the"
                    + " newest: " + newest.getMessage());
        }
        return new SetId(idOrLatest);
    }

    public SetManifest manifest(SetId id) {
        byte[] data = store.get(ObjectNames.set(id))
                .orElseThrow(() -> VmConfigException.config("no set " + id + " in the repository"));
        return SetManifest.parse(id, data, root.repositoryId(), trust);
    }

    public LoadedSet load(SetId id) {
        return load(manifest(id));
    }

    /**
     * The set as its manifest says, without checking its signature: only to learn which objects it names, so that
     * prune never deletes them (§9). Never a source of data to restore.
     */
    LoadedSet loadUnverified(SetId id) {
        byte[] data = store.get(ObjectNames.set(id))
                .orElseThrow(() -> new VmConfigException(VmConfigException.Kind.INTEGRITY, "no set " + id));
        return load(SetManifest.parse(id, data, root.repositoryId(), Trust.insecure()));
    }

    /** Names under {@code sets/} that are not set manifests: reported by verify and prune (§9). */
    public List<String> strays() {
        return store.list(ObjectNames.SETS).stream().filter(n -> SetId.fromObjectName(n) == null).toList();
    }

    private LoadedSet load(SetManifest m) {
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Optional<Digest> bucket : m.buckets()) {
            if (bucket.isEmpty()) {
                continue;
            }
            try {
                entries.addAll(subManifest(bucket.get()).entries());
            } catch (VmConfigException e) {
                if (e.kind() != VmConfigException.Kind.INTEGRITY) {
                    throw e; // a store failing now is not a corrupt repository
                }
                problems.add(new Problem(ObjectNames.manifest(bucket.get()), e.getMessage()));
            }
        }
        return new LoadedSet(m, entries, problems);
    }

    /** The entry of one VM in a set, reading only its bucket's sub-manifest. */
    public Optional<Entry> entry(SetManifest m, VmRef vm) {
        Optional<Digest> bucket = m.buckets().get(Buckets.of(vm, m.fanout()));
        return bucket.flatMap(d -> subManifest(d).entries().stream().filter(e -> e.key().equals(vm)).findFirst());
    }

    public SubManifest subManifest(Digest name) {
        SubManifest cached = subManifests.get(name);
        if (cached != null) {
            return cached;
        }
        byte[] data = store.get(ObjectNames.manifest(name)).orElseThrow(() -> new VmConfigException(
                VmConfigException.Kind.INTEGRITY, ObjectNames.manifest(name) + " is missing"));
        SubManifest s = SubManifest.parse(name, data);
        subManifests.put(name, s);
        return s;
    }

    public boolean canDecrypt() {
        return key.isPresent();
    }

    /** The bundle's stored bytes after the checks that need no key (size, sha256; §7 step 4). */
    byte[] storedBundle(Entry e) {
        byte[] stored = store.get(e.objectName()).orElseThrow(() -> new VmConfigException(
                VmConfigException.Kind.INTEGRITY, e.objectName() + " is missing"));
        BundleCheck.stored(e, stored);
        return stored;
    }

    /** The bundle's plaintext, after every check of §7 step 4; INTEGRITY when one fails. */
    public byte[] bundleBytes(Entry e) {
        byte[] stored = storedBundle(e);
        if (!e.encrypted()) {
            return stored;
        }
        RepositoryKey k = key.orElseThrow(() -> VmConfigException.config(
                "VM " + e.key() + " is encrypted (it holds Secret data): pass --key FILE"));
        return k.decrypt(e.bundle(), stored);
    }

    /**
     * The bundle of {@code e}, after the checks of {@link #bundleBytes} and the check that it holds the VM the signed
     * entry names, with its uid and generation (§7 step 5): a signed entry pointing at another VM's bundle is refused.
     */
    public ObjectNode bundle(Entry e) {
        ObjectNode b = CanonicalJson.parseObject(bundleBytes(e), e.objectName());
        BundleIdentity.require(e.objectName(), e.key(), e.uid(), e.generation(), b);
        return b;
    }
}
