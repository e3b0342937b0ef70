package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
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
    /**
     * The manifest objects read last, by name, at most {@link #NODES_KEPT} of each kind: a lookup of one VM reads
     * one node per level, and a walk of a whole set meets each node once, so keeping every node read (about the
     * set's entries again) bought nothing but heap (docs/architecture.md, "Memory").
     */
    static final int NODES_KEPT = 256;

    /** The bytes of packs kept (§5.5): a set's changed VMs of one run share a pack of at most about 64 KiB. */
    static final long PACK_BYTES_KEPT = 4L << 20;

    private final Map<Digest, SubManifest> subManifests = lru(NODES_KEPT);
    /** Each node with its content name (§5.6), which a writer dedups by: read with the node, never kept apart. */
    private final Map<Digest, Read> nodes = lru(NODES_KEPT);

    /** A manifest node as read, and the content name of its stored bytes. */
    private record Read(ManifestTree.Node node, Digest content) {}

    private final Map<Digest, Dictionary> dictionaries = new HashMap<>();
    /** The last packs read, by name, up to {@link #PACK_BYTES_KEPT} bytes in all. */
    private final Map<Digest, byte[]> packs = new java.util.LinkedHashMap<>(16, 0.75f, true);

    private long packBytes;

    /** A map that keeps the {@code max} entries used last. */
    private static <K, V> Map<K, V> lru(int max) {
        return new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    public RepoReader(BlobStore store, Trust trust, Optional<RepositoryKey> key) {
        this.store = store;
        this.root = readRoot(store);
        this.trust = trust;
        this.key = key;
        key.ifPresent(k -> checkKey(root, k));
    }

    /** The root object; CONFIG when there is no repository, REFUSED for an unknown version. */
    public static RootObject readRoot(BlobStore store) {
        byte[] data = store.get(ObjectNames.ROOT)
                .orElseThrow(() -> VmConfigException.config(
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
        return store.list(ObjectNames.SETS).stream()
                .map(SetId::fromObjectName)
                .filter(Objects::nonNull)
                .sorted()
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
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    "no set of the repository verifies; the" + " newest: " + newest.getMessage());
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

    /**
     * Only the given VMs of a set, each found by {@link #entry}: a bounded number of objects per VM (its bucket's
     * sub-manifest; or the overlay segments and one tree node per level), however large the set. A VM the set does
     * not hold is left out; a manifest object that fails is a problem naming it, as in {@link #load}. The entries
     * come in path order, as {@link #each} hands them over.
     */
    public LoadedSet loadOnly(SetId id, java.util.Collection<VmRef> vms) {
        SetManifest m = manifest(id);
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        java.util.TreeMap<String, VmRef> byPath = new java.util.TreeMap<>();
        vms.forEach(vm -> byPath.put(ManifestTree.path(vm), vm));
        for (VmRef vm : byPath.values()) {
            try {
                entry(m, vm).ifPresent(entries::add);
            } catch (VmConfigException e) {
                requireIntegrity(e);
                problems.add(new Problem(vm.toString(), e.getMessage()));
            }
        }
        return new LoadedSet(m, entries, problems, java.util.Set.of(), Map.of(), 0);
    }

    /** Names under {@code sets/} that are not set manifests: reported by verify and prune (§9). */
    public List<String> strays() {
        return store.list(ObjectNames.SETS).stream()
                .filter(n -> SetId.fromObjectName(n) == null)
                .toList();
    }

    private LoadedSet load(SetManifest m) {
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        java.util.Set<Digest> names = new java.util.HashSet<>();
        Map<Digest, Digest> contents = new HashMap<>();
        int changes = each(m, new SetWalk() {
            @Override
            public void entry(Entry e) {
                entries.add(e);
            }

            @Override
            public void problem(Problem p) {
                problems.add(p);
            }

            @Override
            public void object(Digest d) {
                names.add(d);
            }

            @Override
            public void content(Digest name, Digest content) {
                contents.put(name, content);
            }
        });
        List<Entry> all = new ArrayList<>(entries);
        if (m.tree() != null) {
            all.sort(java.util.Comparator.comparing(Entry::key)); // a tree set's entries by VM, as before
        }
        return new LoadedSet(m, all, problems, names, contents, changes);
    }

    /** What a walk of a set ({@link #each}) hands over: each entry, each problem, each manifest object it names. */
    public interface SetWalk {
        void entry(Entry e);

        void problem(Problem p);

        default void object(Digest d) {}

        /**
         * The content name (§5.6) of a manifest node the walk read: what a writer whose parent this set is reuses the
         * node by.
         */
        default void content(Digest name, Digest content) {}
    }

    /**
     * Every entry of the set, one at a time, with only one node per level of the tree and the overlay's changes in
     * memory (at most max(256, VMs / 8) of them, §6.2), never the set's entries: a restore of a whole 100,000-VM set
     * runs in a bounded heap (docs/architecture.md, "Memory"). Entries come in the order of their tree paths (the
     * SHA-256 of "namespace/name"); a format 1 set's entries are sorted into that order in memory. A tree node that
     * fails loses the VMs under it; an overlay segment that fails loses every VM, since nothing says which VMs it
     * changed and an entry from the tree alone could be an older revision (§6.2). Returns the number of overlay
     * changes.
     */
    public int each(SetManifest m, SetWalk out) {
        if (m.tree() == null) {
            // format 1 buckets hold VMs by the low bits of their path's first word and by name within: not path
            // order. Such a set (versions 1 and 2, no longer written) is sorted in memory, one entry per VM;
            // `repo upgrade` moves it to the tree
            java.util.TreeMap<String, Entry> byPath = new java.util.TreeMap<>();
            for (Optional<Digest> bucket : m.buckets()) {
                if (bucket.isEmpty()) {
                    continue;
                }
                out.object(bucket.get());
                try {
                    readSubManifest(bucket.get()).entries().forEach(e -> byPath.put(ManifestTree.path(e.key()), e));
                } catch (VmConfigException e) {
                    requireIntegrity(e);
                    out.problem(new Problem(ObjectNames.manifest(bucket.get()), e.getMessage()));
                }
            }
            byPath.values().forEach(out::entry);
            return 0;
        }
        SetManifest.Tree tree = m.tree();
        // the overlay's changes per VM, oldest first, in path order; applied to the tree's entries as the walk meets
        // them (or to none, for a VM the tree does not hold)
        java.util.TreeMap<String, List<Pending>> pending = new java.util.TreeMap<>();
        List<Problem> lost = new ArrayList<>();
        int changes = 0;
        for (Digest d : tree.overlay()) {
            out.object(d);
            try {
                Read r = read(d, null);
                out.content(d, r.content());
                for (ManifestTree.Change c : ((ManifestTree.Overlay) r.node()).changes()) {
                    changes++;
                    pending.computeIfAbsent(ManifestTree.path(c.key()), k -> new ArrayList<>())
                            .add(new Pending(d, c));
                }
            } catch (VmConfigException e) {
                requireIntegrity(e);
                lost.add(new Problem(ObjectNames.manifest(d), e.getMessage()));
            }
        }
        SetWalk to = lost.isEmpty()
                ? out
                : new SetWalk() {
                    @Override
                    public void entry(
                            Entry e) {} // the overlay is lost: no VM of the set is known as the set recorded it

                    @Override
                    public void problem(Problem p) {
                        out.problem(p);
                    }
                };
        java.util.function.BiConsumer<String, Optional<Entry>> atPath = (path, beneath) -> {
            // first the VMs only the overlay holds whose paths come before this one, then this one
            for (var before = pending.headMap(path, false); !before.isEmpty(); ) {
                var first = before.pollFirstEntry();
                applied(first.getValue(), Optional.empty(), to);
            }
            List<Pending> chain = pending.remove(path);
            if (chain == null) {
                beneath.ifPresent(to::entry);
            } else {
                applied(chain, beneath, to);
            }
        };
        tree.root().ifPresent(r -> walk(r, "", atPath, out));
        while (!pending.isEmpty()) {
            applied(pending.pollFirstEntry().getValue(), Optional.empty(), to);
        }
        lost.forEach(out::problem);
        return changes;
    }

    /** One overlay change of a VM and the segment it came from. */
    private record Pending(Digest segment, ManifestTree.Change change) {}

    /** The entry beneath with a VM's overlay changes applied oldest first, handed to {@code out} unless removed. */
    private static void applied(List<Pending> chain, Optional<Entry> beneath, SetWalk out) {
        Optional<Entry> at = beneath;
        for (Pending p : chain) {
            ManifestTree.Change c = p.change();
            Optional<Entry> e = c.entry();
            if (c.inheritsBase()) {
                if (at.isEmpty()) {
                    out.problem(new Problem(ObjectNames.manifest(p.segment()), noBeneath(p.segment(), c.key())));
                    e = Optional.empty();
                } else {
                    Digest keyFrame = at.get().keyFrame();
                    e = e.map(x -> x.withBase(keyFrame));
                }
            }
            at = e;
        }
        at.ifPresent(out::entry);
    }

    /** The tree under {@code d} in path order: each entry handed to {@code atPath} with its path. */
    private void walk(
            Digest d, String prefix, java.util.function.BiConsumer<String, Optional<Entry>> atPath, SetWalk out) {
        out.object(d);
        ManifestTree.Node n;
        try {
            Read r = read(d, prefix);
            out.content(d, r.content());
            n = r.node();
        } catch (VmConfigException e) {
            requireIntegrity(e);
            out.problem(new Problem(ObjectNames.manifest(d), e.getMessage()));
            return;
        }
        if (n instanceof ManifestTree.Leaf leaf) {
            java.util.TreeMap<String, Entry> byPath = new java.util.TreeMap<>();
            leaf.entries().forEach(e -> byPath.put(ManifestTree.path(e.key()), e));
            byPath.forEach((path, e) -> atPath.accept(path, Optional.of(e)));
        } else if (n instanceof ManifestTree.Inner inner) {
            for (int c = 0; c < 16; c++) {
                String p = ManifestTree.childPrefix(prefix, c);
                inner.children().get(c).ifPresent(child -> walk(child, p, atPath, out));
            }
        }
    }

    private static void requireIntegrity(VmConfigException e) {
        if (e.kind() != VmConfigException.Kind.INTEGRITY) {
            throw e; // a store failing now is not a corrupt repository
        }
    }

    /**
     * The entry of one VM in a set, reading only what leads to it: its bucket's sub-manifest (format 1), or the
     * overlay segments (newest first) and then the tree nodes on its path (format 3): a bounded number of objects
     * whatever the size of the set.
     */
    public Optional<Entry> entry(SetManifest m, VmRef vm) {
        if (m.tree() != null) {
            return treeEntry(m.tree(), vm, m.tree().overlay().size());
        }
        Optional<Digest> bucket = m.buckets().get(Buckets.of(vm, m.fanout()));
        return bucket.flatMap(d -> subManifest(d).entries().stream()
                .filter(e -> e.key().equals(vm))
                .findFirst());
    }

    /**
     * The VM's entry in the tree with the first {@code segments} overlay segments applied: the newest of them that
     * changes it, else the tree's. An entry that inherits its delta base takes the key frame of the entry beneath
     * it, found the same way below its segment (at most {@link ManifestTree#MAX_OVERLAY} steps).
     */
    private Optional<Entry> treeEntry(SetManifest.Tree tree, VmRef vm, int segments) {
        List<Digest> overlay = tree.overlay();
        for (int i = segments - 1; i >= 0; i--) {
            for (ManifestTree.Change c : overlay(overlay.get(i)).changes()) {
                if (c.key().equals(vm)) {
                    if (!c.inheritsBase() || c.entry().isEmpty()) {
                        return c.entry();
                    }
                    Digest segment = overlay.get(i);
                    Entry beneath = treeEntry(tree, vm, i)
                            .orElseThrow(() ->
                                    new VmConfigException(VmConfigException.Kind.INTEGRITY, noBeneath(segment, vm)));
                    return c.entry().map(e -> e.withBase(beneath.keyFrame()));
                }
            }
        }
        String path = ManifestTree.path(vm);
        Optional<Digest> at = tree.root();
        String prefix = "";
        while (at.isPresent()) {
            ManifestTree.Node n = node(at.get(), prefix);
            if (n instanceof ManifestTree.Leaf leaf) {
                return leaf.entries().stream().filter(e -> e.key().equals(vm)).findFirst();
            }
            int c = ManifestTree.child(path, prefix.length());
            at = ((ManifestTree.Inner) n).children().get(c);
            prefix = ManifestTree.childPrefix(prefix, c);
        }
        return Optional.empty();
    }

    private static String noBeneath(Digest segment, VmRef vm) {
        return ObjectNames.manifest(segment) + " gives VM " + vm + " the delta base of its entry beneath, but no entry"
                + " lies beneath it (repository-format.md §6.3)";
    }

    ManifestTree.Node node(Digest name, String prefix) {
        return read(name, prefix).node();
    }

    private Read read(Digest name, String prefix) {
        Read cached;
        synchronized (nodes) {
            cached = nodes.get(name);
        }
        if (cached != null) {
            return cached;
        }
        byte[] data = store.get(ObjectNames.manifest(name))
                .orElseThrow(() -> new VmConfigException(
                        VmConfigException.Kind.INTEGRITY, ObjectNames.manifest(name) + " is missing"));
        ManifestTree.Node n = ManifestTree.parse(name, data, prefix);
        Read read = new Read(n, Salt.contentOfGzip(data));
        synchronized (nodes) {
            nodes.put(name, read);
        }
        return read;
    }

    private ManifestTree.Overlay overlay(Digest name) {
        ManifestTree.Node n = node(name, null);
        return (ManifestTree.Overlay) n;
    }

    /**
     * The dictionary {@code dicts/<name>}, checked against its hash (a sealed one opened with the repository key);
     * INTEGRITY when missing or altered.
     */
    public Dictionary dictionary(Digest name, boolean sealed) {
        Dictionary cached = dictionaries.get(name);
        if (cached != null && cached.sealed() == sealed) {
            return cached;
        }
        boolean shortRef = ObjectNames.isShortRef(name);
        String what = shortRef ? ObjectNames.dictionaryV4(name) : ObjectNames.dictionary(name);
        byte[] data = (shortRef ? store.get(what) : store.get(what).or(() -> store.get(ObjectNames.dictionaryV4(name))))
                .orElseThrow(() -> new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is missing"));
        Dictionary d = Dictionary.parse(
                name,
                data,
                sealed,
                () -> key.orElseThrow(() -> VmConfigException.config(what + " is encrypted: pass --key FILE")));
        dictionaries.put(name, d);
        return d;
    }

    public SubManifest subManifest(Digest name) {
        synchronized (subManifests) {
            SubManifest cached = subManifests.get(name);
            if (cached != null) {
                return cached;
            }
        }
        SubManifest s = readSubManifest(name);
        synchronized (subManifests) {
            subManifests.put(name, s);
        }
        return s;
    }

    /** The sub-manifest {@code name} as stored, not kept: a walk of the set reads each once. */
    private SubManifest readSubManifest(Digest name) {
        byte[] data = store.get(ObjectNames.manifest(name))
                .orElseThrow(() -> new VmConfigException(
                        VmConfigException.Kind.INTEGRITY, ObjectNames.manifest(name) + " is missing"));
        return SubManifest.parse(name, data);
    }

    public boolean canDecrypt() {
        return key.isPresent();
    }

    /** The bundle's stored bytes after the checks that need no key (size, sha256; §7 step 4). */
    byte[] storedBundle(Entry e) {
        byte[] stored = store.get(e.objectName())
                .orElseThrow(
                        () -> new VmConfigException(VmConfigException.Kind.INTEGRITY, e.objectName() + " is missing"));
        BundleCheck.stored(e, stored);
        return stored;
    }

    /**
     * The stored bytes of the pack {@code e} is a member of, checked once per pack against the sha256 and size the
     * entry records; packs are kept up to {@link #PACK_BYTES_KEPT}
     * bytes, since a run's changed VMs share one (§5.5) and a walk of the set meets them in path order.
     */
    private byte[] storedPack(Entry e) {
        synchronized (packs) {
            byte[] cached = packs.get(e.sha256());
            if (cached != null && cached.length == e.size()) {
                return cached; // its hash matched when it was read; an entry that records another size reads it again
            }
        }
        byte[] stored = storedBundle(e);
        synchronized (packs) {
            byte[] was = packs.put(e.sha256(), stored);
            packBytes += stored.length - (was == null ? 0 : was.length);
            for (var it = packs.values().iterator(); packBytes > PACK_BYTES_KEPT && packs.size() > 1; ) {
                packBytes -= it.next().length; // the least recently used first; the one just read stays
                it.remove();
            }
        }
        return stored;
    }

    /** The delta frame of a packed entry: its member of the section its encryption says (§5.5). */
    private byte[] packMember(Entry e, String what) {
        byte[] section = Pack.section(storedPack(e), e.encrypted(), e.objectName());
        if (e.encrypted()) {
            section = key.orElseThrow(() -> VmConfigException.config(
                            "VM " + e.key() + " is encrypted (it holds Secret data): pass --key FILE"))
                    .decryptV4(section, e.objectName() + " (its sealed section)");
        }
        List<byte[]> members = Pack.members(section, e.objectName());
        if (e.member() >= members.size()) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    e.objectName() + " has " + members.size() + (e.encrypted() ? " sealed" : " plain")
                            + " members, the entry of " + e.key() + " names member " + e.member() + " (" + what
                            + ")");
        }
        return members.get(e.member());
    }

    /** The bundle's plaintext, after every check of §7 step 4; INTEGRITY when one fails. */
    public byte[] bundleBytes(Entry e) {
        if (e.packed()) {
            String what = e.objectName() + " member " + e.member() + " (" + e.key() + ")";
            Digest base = e.base()
                    .orElseThrow(() -> new VmConfigException(
                            VmConfigException.Kind.INTEGRITY,
                            what + " is a pack's member, but its entry names no base"));
            byte[] frame = packMember(e, what);
            byte[] plain = BundleCompression.decompressDelta(frame, base, basePlain(base, e.encrypted(), what), what);
            return requireContent(e, plain, what);
        }
        byte[] stored = storedBundle(e);
        if (!e.encrypted() && !e.compressed()) {
            return stored;
        }
        RepositoryKey k = e.encrypted()
                ? key.orElseThrow(() -> VmConfigException.config(
                        "VM " + e.key() + " is encrypted (it holds Secret data): pass --key FILE"))
                : null;
        if (!e.compressed()) {
            return k.decrypt(e.bundle(), stored);
        }
        boolean v4 = e.base().isPresent() || (e.encrypted() ? e.bundle().isShort() : BundleCompression.isV4(stored));
        if (!v4) {
            byte[] frame = e.encrypted() ? k.decryptV3(e.bundle(), stored, e.objectName()) : stored;
            byte[] plain = BundleCompression.decompress(frame, this::dictionary, e.objectName());
            if (e.encrypted()) {
                k.requireName(e.bundle(), plain, e.objectName());
            } else {
                BundleCheck.plain(e, plain);
            }
            return plain;
        }
        byte[] frame = e.encrypted() ? k.decryptV4(stored, e.objectName()) : stored;
        byte[] plain = e.base().isPresent()
                ? BundleCompression.decompressDelta(
                        frame, e.base().get(), basePlain(e.base().get(), e.encrypted(), e.objectName()), e.objectName())
                : BundleCompression.decompress(frame, this::dictionary, e.objectName());
        return requireContent(e, plain, e.objectName());
    }

    /** {@code plain} is the content {@code e} names (§5.4); INTEGRITY naming {@code what} otherwise. */
    private byte[] requireContent(Entry e, byte[] plain, String what) {
        if (e.bundle().isShort()) {
            // a keyed digest: checked when the key is at hand; without it, the signed entry's sha256 of this
            // object, of its base and of the dictionary fix the plaintext all the same (§5.4)
            if (key.isPresent() && !key.get().contentDigest(plain).equals(e.bundle())) {
                throw new VmConfigException(
                        VmConfigException.Kind.INTEGRITY, what + " does not inflate to the bundle its entry names");
            }
        } else if (e.encrypted()) {
            key.orElseThrow().requireName(e.bundle(), plain, what);
        } else {
            BundleCheck.plain(e, plain);
        }
        return plain;
    }

    /**
     * The plaintext of the delta base {@code base} of {@code what} (§5.4): it exists, has its hash, opens with the
     * same encryption as the delta, and is a full version 4 frame (a delta's base is never a delta: one level, so a
     * read fetches at most two objects). INTEGRITY naming both objects otherwise.
     */
    byte[] basePlain(Digest base, boolean encrypted, String what) {
        String name = ObjectNames.BUNDLES + base.hex();
        String as = name + ", the delta base of " + what + ",";
        byte[] stored = store.get(name)
                .orElseThrow(() -> new VmConfigException(VmConfigException.Kind.INTEGRITY, as + " is missing"));
        if (!Digest.sha256(stored).equals(base)) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, as + " does not match its hash");
        }
        byte[] frame = encrypted
                ? key.orElseThrow(() -> VmConfigException.config(what + " is encrypted: pass --key FILE"))
                        .decryptV4(stored, as)
                : stored;
        if (BundleCompression.isDelta(frame) || Pack.isPack(frame)) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    as + " is itself a delta (or a pack of deltas): a delta chain deeper than one is refused");
        }
        if (!BundleCompression.isV4(frame)) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, as + " is not a version 4 frame");
        }
        return BundleCompression.decompress(frame, this::dictionary, as);
    }

    /**
     * What a writer deltas a VM's new bundle against (§5.4): the key frame of its parent entry {@code prev} (the
     * entry's base, or its own object when it is no delta), when that is a full version 4 frame with the same
     * encryption as the new bundle. Empty otherwise (no previous entry, an older format, a base that cannot be
     * read): the bundle is then stored as a full frame.
     */
    Optional<StoredBundle.DeltaBase> deltaBase(Entry prev, boolean encrypted) {
        if (prev == null || !prev.compressed() || prev.encrypted() != encrypted) {
            return Optional.empty();
        }
        Digest base = prev.base().orElse(prev.sha256());
        try {
            return Optional.of(new StoredBundle.DeltaBase(base, basePlain(base, encrypted, prev.objectName())));
        } catch (VmConfigException e) {
            requireIntegrity(e);
            return Optional.empty();
        }
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
