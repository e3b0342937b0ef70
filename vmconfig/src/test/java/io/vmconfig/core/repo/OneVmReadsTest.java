package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.testing.ForwardingBlobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restoring one VM of a large set reads a bounded number of objects (issue 14; repository-format.md §5.5, §6.2): the
 * set manifest, the overlay segments, the tree nodes on the VM's path, and its bundle's objects (pack, key frame,
 * dictionary), never the rest of the set. Counted through the real reader over a store that records every read.
 */
class OneVmReadsTest {
    private static final int VMS = 2000;
    private static final String BIG = "spec-".repeat(400);
    private static RepoFixture f;
    private static SetId latest;

    /** Every read of the store, by object name, in order; lists apart. */
    static final class CountingStore extends ForwardingBlobStore {
        final List<String> gets = new ArrayList<>();
        final List<String> lists = new ArrayList<>();

        CountingStore(BlobStore inner) {
            super(inner);
        }

        @Override
        public Optional<byte[]> get(String name) {
            gets.add(name);
            return super.get(name);
        }

        @Override
        public List<String> list(String prefix) {
            lists.add(prefix);
            return super.list(prefix);
        }

        long gets(String prefix) {
            return gets.stream().filter(n -> n.startsWith(prefix)).count();
        }
    }

    /** 2,000 VMs (a third with Secret data), then two runs that change 100 VMs each: their deltas go into packs. */
    @BeforeAll
    static void aLargeSetWithPacks() {
        f = RepoFixture.inMemory();
        List<VmSnapshot> vms = new ArrayList<>();
        for (int i = 0; i < VMS; i++) {
            vms.add(vm(i, ""));
        }
        f.backup(vms);
        for (int run = 1; run <= 2; run++) {
            for (int i = run; i < VMS; i += VMS / 100) {
                vms.set(i, vm(i, "changed in run " + run));
            }
            f.clock.advance(Duration.ofMinutes(5));
            latest = f.backup(vms).setId();
        }
    }

    private static VmSnapshot vm(int i, String change) {
        return i % 3 == 0
                ? RepoFixture.vmWithSecret("ns" + i % 7, "vm-" + i, BIG + i + change)
                : RepoFixture.vm("ns" + i % 7, "vm-" + i, change.isEmpty() ? 1 : 2, BIG + i + change);
    }

    private static RepoReader readerOn(CountingStore store) {
        return new RepoReader(store, Trust.keys(List.of(f.signer.getPublic())), Optional.of(f.key));
    }

    /** What {@code restore --vm} does: resolve the set, find the VMs, read and check their bundles. */
    private static List<SourcedObject> restore(RepoReader reader, VmRef... vms) {
        LoadedSet only = reader.loadOnly(reader.resolve("latest"), List.of(vms));
        List<SourcedObject> objects = new ArrayList<>();
        RepoRestoreInput.each(
                reader,
                only.manifest().setId(),
                RepoRestoreInput.entriesOf(only),
                new AppliedRevisions(),
                false,
                (e, o) -> objects.addAll(o),
                r -> {
                    throw new AssertionError("refused: " + r);
                });
        return objects;
    }

    @Test
    void restoringOneChangedVmReadsItsPathThroughTheTreeAndItsPackBaseAndDictionaryOnly() {
        CountingStore store = new CountingStore(f.store);
        RepoReader reader = readerOn(store);
        SetManifest m = reader.manifest(latest);
        int segments = m.tree().overlay().size();
        assertThat(segments).isEqualTo(2);
        VmRef changed = new VmRef("ns" + 42 % 7, "vm-42"); // changed in run 2, holds a Secret: a sealed pack member
        Entry e = readerOn(new CountingStore(f.store))
                .loadOnly(latest, List.of(changed))
                .entries()
                .get(0);
        assertThat(e.packed()).isTrue();
        assertThat(e.encrypted()).isTrue();
        store.gets.clear();
        store.lists.clear();

        assertThat(restore(reader, changed)).isNotEmpty();

        // the root object was read at start-up, before the clear; now: the listing of sets/ to resolve "latest", the
        // set manifest (read to verify it when resolving, then to find the VM), the overlay segments, one tree node per
        // level (a 2,000-VM trie of 64-entry leaves is 2 or 3
        // deep), the pack, its base, the dictionary
        assertThat(store.lists).containsExactly(ObjectNames.SETS);
        assertThat(store.gets(ObjectNames.SETS)).isEqualTo(2);
        assertThat(store.gets(ObjectNames.MANIFESTS)).isBetween((long) segments + 1, (long) segments + 3);
        assertThat(store.gets(ObjectNames.BUNDLES)).isEqualTo(2); // the pack and its key frame
        assertThat(store.gets(ObjectNames.DICTIONARIES)).isLessThanOrEqualTo(1);
        assertThat(store.gets).hasSizeLessThanOrEqualTo(2 + segments + 3 + 2 + 1);
    }

    @Test
    void restoringOneUnchangedVmReadsItsFrameAndDictionaryOnly() {
        CountingStore store = new CountingStore(f.store);
        RepoReader reader = readerOn(store);
        store.gets.clear();
        VmRef unchanged = new VmRef("ns" + 5 % 7, "vm-5");
        assertThat(restore(reader, unchanged)).isNotEmpty();
        assertThat(store.gets(ObjectNames.BUNDLES)).isEqualTo(1);
        assertThat(store.gets(ObjectNames.DICTIONARIES)).isLessThanOrEqualTo(1);
        assertThat(store.gets(ObjectNames.MANIFESTS)).isLessThanOrEqualTo(2 + 3);
    }

    @Test
    void aFewVmsCostAFewPathsWhileTheWholeSetReadsEveryNode() {
        CountingStore store = new CountingStore(f.store);
        RepoReader reader = readerOn(store);
        store.gets.clear();
        restore(reader, new VmRef("ns1", "vm-1"), new VmRef("ns2", "vm-2"), new VmRef("ns4", "vm-4"));
        long few = store.gets(ObjectNames.MANIFESTS);
        assertThat(few).isLessThanOrEqualTo(2 + 3 * 3);

        // the counter sees a whole-set walk read every node: what the bound above is not
        CountingStore all = new CountingStore(f.store);
        RepoReader whole = readerOn(all);
        LoadedSet set = whole.load(latest);
        assertThat(set.entries()).hasSize(VMS);
        assertThat(all.gets(ObjectNames.MANIFESTS)).isGreaterThan(VMS / ManifestTree.LEAF_MAX);
    }
}
