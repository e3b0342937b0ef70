package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Format version 4 (repository-format.md §5.4, §5.5, §6.3): content digests, entries in columns, delta bundles, one
 * pack per run for the deltas, overlay entries that inherit their base.
 */
class FormatV4Test {
    private static final String BIG = "spec-".repeat(400);

    /** Two revisions of a.x (the second a delta of the first) and an unchanged a.y; returns (x1, x2, y). */
    private static Entry[] twoRevisions(RepoFixture f, boolean secret) {
        VmSnapshot x1 = secret ? RepoFixture.vmWithSecret("a", "x", BIG + "1") : RepoFixture.vm("a", "x", 1, BIG + "1");
        VmSnapshot x2 = secret ? RepoFixture.vmWithSecret("a", "x", BIG + "2") : RepoFixture.vm("a", "x", 2, BIG + "2");
        VmSnapshot y = RepoFixture.vm("a", "y", 1, BIG + "y");
        BackupResult first = f.backup(List.of(x1, y));
        f.clock.advance(Duration.ofMinutes(5));
        BackupResult second = f.backup(List.of(x2, y));
        RepoReader r = f.reader();
        return new Entry[] {
            r.load(first.setId()).entry(new VmRef("a", "x")).orElseThrow(),
            r.load(second.setId()).entry(new VmRef("a", "x")).orElseThrow(),
            r.load(second.setId()).entry(new VmRef("a", "y")).orElseThrow()
        };
    }

    private static Entry withBase(Entry e, Optional<Digest> base) {
        return new Entry(
                e.key(),
                e.uid(),
                e.generation(),
                e.revision(),
                e.capturedAt(),
                e.bundle(),
                e.sha256(),
                e.size(),
                e.encrypted(),
                e.compressed(),
                base,
                e.member());
    }

    private static void refused(RepoFixture f, Entry e, String... parts) {
        assertThatThrownBy(() -> f.reader().bundle(e)).isInstanceOfSatisfying(VmConfigException.class, ex -> {
            assertThat(ex.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
            assertThat(ex.getMessage()).contains(parts);
        });
    }

    @Test
    void aChangedBundleIsStoredAsASmallDeltaOfItsPreviousRevisionAndReadsBack() {
        for (boolean secret : new boolean[] {false, true}) {
            RepoFixture f = RepoFixture.inMemory();
            Entry[] e = twoRevisions(f, secret);
            assertThat(e[1].base()).contains(e[0].sha256());
            assertThat(e[1].bundle().isShort()).isTrue(); // a 16-byte keyed content digest
            assertThat(e[1].packed()).isTrue(); // a delta goes into its run's pack (§5.5)
            byte[] plain = f.reader().bundleBytes(e[1]);
            assertThat(new String(plain, StandardCharsets.UTF_8)).contains(BIG + "2");
            assertThat(e[1].objectNames()).containsExactly(e[1].objectName(), e[0].objectName());
        }
    }

    @Test
    void aSecretBundleStaysEncryptedAsADelta() {
        RepoFixture f = RepoFixture.inMemory();
        Entry[] e = twoRevisions(f, true);
        byte[] stored = f.store.get(e[1].objectName()).orElseThrow();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("spec-");
        RepoReader keyless = new RepoReader(f.store, Trust.keys(List.of(f.signer.getPublic())), Optional.empty());
        assertThatThrownBy(() -> keyless.bundleBytes(e[1])).isInstanceOf(VmConfigException.class);
    }

    @Test
    void aMissingDeltaBaseFailsThatVmNamingBothObjects() {
        RepoFixture f = RepoFixture.inMemory();
        Entry[] e = twoRevisions(f, false);
        f.store.delete(e[0].objectName());
        refused(f, e[1], e[0].objectName(), "delta base of " + e[1].objectName(), "missing");
    }

    @Test
    void aBaseThatIsItselfADeltaIsRefusedAsAChainTooDeep() {
        RepoFixture f = RepoFixture.inMemory();
        Entry[] e = twoRevisions(f, false);
        // a hostile entry: x2's delta named as the base of a delta (x2 itself): the base must be a full frame
        refused(f, withBase(e[1], Optional.of(e[1].sha256())), "itself a delta");
    }

    @Test
    void aBaseCycleInATreeNodeIsRefused() {
        Entry[] e = twoRevisions(RepoFixture.inMemory(), false);
        Entry cyclic = withBase(e[1], Optional.of(e[1].sha256()));
        com.fasterxml.jackson.databind.node.ObjectNode columns = EntryColumns.write(List.of(cyclic));
        assertThatThrownBy(() -> EntryColumns.read(columns, "manifests/x"))
                .isInstanceOfSatisfying(
                        VmConfigException.class,
                        ex -> assertThat(ex.getMessage()).contains("manifests/x", "its own delta base"));
    }

    @Test
    void aDeltaReadAgainstAnotherBaseIsAnIntegrityErrorNamingTheObject() {
        RepoFixture f = RepoFixture.inMemory();
        Entry[] e = twoRevisions(f, false);
        refused(f, withBase(e[1], Optional.of(e[2].sha256())), e[1].objectName(), "another base");
        // a full frame named with a base, and a delta named without one
        refused(f, withBase(e[2], Optional.of(e[0].sha256())), e[2].objectName(), "not a delta frame");
        refused(f, withBase(e[1], Optional.empty()), e[1].objectName(), "names no base");
    }

    @Test
    void aTamperedBaseIsRefusedNamingIt() {
        RepoFixture f = RepoFixture.inMemory();
        Entry[] e = twoRevisions(f, false);
        byte[] base = f.store.get(e[0].objectName()).orElseThrow();
        base[base.length - 1] ^= 1;
        f.store.put(e[0].objectName(), base);
        refused(f, e[1], e[0].objectName(), "does not match its hash");
    }

    @Test
    void hostileDeltaInstructionsAreRefusedBeforeTheyReadOrWriteOutOfBounds() {
        byte[] base = "0123456789".getBytes(StandardCharsets.UTF_8);
        byte[] target = "0123456789-0123456789".getBytes(StandardCharsets.UTF_8);
        byte[] ops = DeltaCodec.encode(base, target);
        assertThat(DeltaCodec.decode(base, ops, 0, target.length, "bundles/t")).isEqualTo(target);
        assertThat(ops.length).isLessThan(target.length);
        // copy beyond the base: length 8 from offset 5 of a 10-byte base
        assertThatThrownBy(() -> DeltaCodec.decode(base, new byte[] {(8 << 1) | 1, 5}, 0, 8, "bundles/t"))
                .hasMessageContaining("bundles/t")
                .hasMessageContaining("beyond its base");
        // builds more than declared, or less
        assertThatThrownBy(() -> DeltaCodec.decode(base, ops, 0, 5, "bundles/t"))
                .hasMessageContaining("more than");
        assertThatThrownBy(() -> DeltaCodec.decode(base, ops, 0, 40, "bundles/t"))
                .hasMessageContaining("declares");
        // an insert running past the data, a length that never ends, and a bomb's declared size
        assertThatThrownBy(() -> DeltaCodec.decode(base, new byte[] {(9 << 1), 'a'}, 0, 9, "bundles/t"))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> DeltaCodec.decode(base, new byte[] {(byte) 0x80, (byte) 0x80}, 0, 9, "bundles/t"))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> DeltaCodec.decode(base, ops, 0, 1L << 30, "bundles/t"))
                .hasMessageContaining("64 MiB");
    }

    @Test
    void anUnchangedVmKeepsItsVersion3EntryAfterTheUpgrade() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> v2 = new java.util.ArrayList<>(RepoFixture.fleet(10, "old"));
        v2.add(RepoFixture.vmWithSecret("lab", "s", "pw"));
        SetId legacy = RepoFixture.writeVersion2Set(f.store, f.key, f.signer, v2, f.clock, f.random);
        RepoInit.upgrade(f.store, f.key);
        f.clock.advance(Duration.ofMinutes(5));
        BackupResult b = f.backup(v2);
        assertThat(b.changedVms()).isZero();
        assertThat(b.bundlesWritten()).isZero();
        LoadedSet before = f.reader().load(legacy);
        LoadedSet after = f.reader().load(b.setId());
        assertThat(after.entries()).containsExactlyInAnyOrderElementsOf(before.entries());
    }

    @Test
    void oneRunsChangedVmsShareOnePackWhoseOverlayEntriesInheritTheirBase() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> first = new java.util.ArrayList<>();
        List<VmSnapshot> second = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(RepoFixture.vm("a", "p" + i, 1, BIG + i));
            second.add(RepoFixture.vm("a", "p" + i, 2, BIG + i + "changed"));
            first.add(RepoFixture.vmWithSecret("a", "s" + i, BIG + i));
            second.add(RepoFixture.vmWithSecret("a", "s" + i, BIG + i + "changed"));
        }
        f.backup(first);
        int objects = f.store.list(ObjectNames.BUNDLES).size();
        f.clock.advance(Duration.ofMinutes(5));
        BackupResult b = f.backup(second);
        assertThat(b.bundlesWritten()).isEqualTo(6);
        assertThat(f.store.list(ObjectNames.BUNDLES)).hasSize(objects + 1); // one pack
        RepoReader r = f.reader();
        LoadedSet set = r.load(b.setId());
        assertThat(set.entries()).allSatisfy(e -> {
            assertThat(e.packed()).isTrue();
            assertThat(e.objectName()).isEqualTo(set.entries().get(0).objectName());
            assertThat(e.base()).isPresent();
            assertThat(new String(r.bundleBytes(e), StandardCharsets.UTF_8)).contains("changed");
            // one VM found alone resolves the inherited base from the entry beneath its segment
            assertThat(r.entry(set.manifest(), e.key())).contains(e);
        });
        assertThat(set.entries().stream().map(Entry::member)).containsExactlyInAnyOrder(0, 1, 2, 0, 1, 2);
        // the overlay segment names no base: each is the key frame of the VM's entry beneath (§6.3)
        Digest segment = set.manifest().tree().overlay().get(0);
        com.fasterxml.jackson.databind.JsonNode o = CanonicalJson.parseObject(
                Gzip.decompress(f.store.get(ObjectNames.manifest(segment)).orElseThrow(), "segment"), "segment");
        assertThat(o.at("/changes/base")).allSatisfy(x -> assertThat(x.asText()).isEqualTo("="));
        // prune keeps the pack and every base a kept set needs
        assertThat(set.entries().get(0).objectNames()).hasSize(2);
    }

    @Test
    void aRunWhoseDeltasExceedOnePackWritesSeveralEachReadBack() {
        RepoFixture f = RepoFixture.inMemory();
        java.util.Random random = new java.util.Random(7);
        List<VmSnapshot> first = new java.util.ArrayList<>();
        List<VmSnapshot> second = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String kept = java.util.HexFormat.of().formatHex(randomBytes(random, 3000));
            first.add(RepoFixture.vm("a", "v" + i, 1, kept));
            // about 1.5 KB of new incompressible text per VM
            second.add(RepoFixture.vm(
                    "a", "v" + i, 2, kept + java.util.HexFormat.of().formatHex(randomBytes(random, 750))));
        }
        f.backup(first);
        f.clock.advance(Duration.ofMinutes(5));
        LoadedSet set = f.reader().load(f.backup(second).setId());
        // (a VM whose old text the first run's dictionary holds compresses better as a full frame: not every one is
        // a delta, but the deltas take more than one pack)
        java.util.Set<String> packs = new java.util.HashSet<>();
        set.entries().stream().filter(Entry::packed).forEach(e -> packs.add(e.objectName()));
        assertThat(packs).hasSizeGreaterThan(1);
        packs.forEach(p -> assertThat(f.store.get(p).orElseThrow().length).isLessThan(Pack.TARGET_BYTES + 4096));
        RepoReader r = f.reader();
        for (int i = 0; i < 60; i++) {
            VmSnapshot v = second.get(i);
            Entry e = set.entry(v.key()).orElseThrow();
            assertThat(r.bundleBytes(e)).isEqualTo(v.bundleBytes());
        }
    }

    private static byte[] randomBytes(java.util.Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void aTreeNodeEntryCannotInheritItsBase() {
        Entry[] e = twoRevisions(RepoFixture.inMemory(), false);
        java.util.BitSet inherits = new java.util.BitSet();
        inherits.set(0);
        com.fasterxml.jackson.databind.node.ObjectNode columns = EntryColumns.write(List.of(e[1]), inherits);
        assertThatThrownBy(() -> EntryColumns.read(columns, "manifests/x"))
                .hasMessageContaining("manifests/x")
                .hasMessageContaining("inherits its delta base");
        assertThat(EntryColumns.read(columns, "manifests/x", true).inherits().get(0))
                .isTrue();
    }

    @Test
    void anOverlayEntryThatInheritsItsBaseWithNothingBeneathFailsThatVmNamingTheSegment() {
        RepoFixture f = RepoFixture.inMemory();
        twoRevisions(f, false);
        RepoReader r = f.reader();
        SetManifest.Tree t = r.manifest(r.latest().orElseThrow()).tree();
        // a set signed by the repository's signer that names the segment without the tree beneath it
        SetId id = SetId.after(r.latest(), f.clock.instant(), f.random);
        SetManifest forged = new SetManifest(
                id,
                r.root().repositoryId(),
                f.clock.instant(),
                "prod",
                "forged",
                "test",
                1,
                new SetManifest.Tree(Optional.empty(), t.overlay(), t.dictionary(), t.secretDictionary()));
        f.store.put(ObjectNames.set(id), forged.sign(f.signer.getPrivate(), f.signer.getPublic()));
        String segment = ObjectNames.manifest(t.overlay().get(0));
        LoadedSet set = f.reader().load(id);
        assertThat(set.entries()).isEmpty();
        assertThat(set.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.object()).isEqualTo(segment))
                .satisfies(p -> assertThat(p.message()).contains("a/x", "no entry lies beneath"));
        assertThatThrownBy(() -> f.reader().entry(forged, new VmRef("a", "x")))
                .isInstanceOfSatisfying(VmConfigException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
                    assertThat(ex.getMessage()).contains(segment, "a/x");
                });
    }

    @Test
    void hostilePacksAreRefusedNamingThePack() {
        for (boolean secret : new boolean[] {false, true}) {
            RepoFixture f = RepoFixture.inMemory();
            Entry[] e = twoRevisions(f, secret);
            // a member index beyond the pack's section
            Entry beyond = e[1].inPack(e[1].sha256(), e[1].size(), 99);
            refused(f, beyond, e[1].objectName(), "names member 99");
            // a tampered section under a name that matches it (as a hostile writer with the signing key could)
            byte[] stored = f.store.get(e[1].objectName()).orElseThrow();
            stored[stored.length - 1] ^= 1;
            Digest forged = Digest.sha256(stored);
            f.store.put(ObjectNames.BUNDLES + forged.hex(), stored);
            refused(
                    f,
                    e[1].inPack(forged, stored.length, e[1].member()),
                    ObjectNames.BUNDLES + forged.hex(),
                    secret ? "AES-GCM" : "bundles/");
            // the same bytes under the old name: the entry's hash refuses them
            f.store.put(e[1].objectName(), stored);
            refused(f, e[1], e[1].objectName(), "does not match the sha256");
        }
    }

    @Test
    void malformedPackSectionsAreRefusedBeforeTheyReadOutOfBounds() {
        byte[] member = {7, 1, 2, 3, 4, 1, 2, 'x'};
        byte[] pack = Pack.write(List.of(member), List.of(), Optional.empty());
        assertThat(Pack.members(Pack.section(pack, false, "bundles/p"), "bundles/p"))
                .singleElement()
                .isEqualTo(member);
        assertThat(Pack.section(pack, true, "bundles/p")).isEmpty();
        assertThatThrownBy(() -> Pack.section(new byte[] {8, 100, 1}, false, "bundles/p"))
                .hasMessageContaining("bundles/p")
                .hasMessageContaining("beyond its end");
        assertThatThrownBy(() -> Pack.section(new byte[] {7, 0}, false, "bundles/p"))
                .hasMessageContaining("not a pack");
        // more members declared than bytes, a member running past its section, bytes after the members
        assertThatThrownBy(() -> Pack.members(new byte[] {5, 2, 0}, "bundles/p"))
                .hasMessageContaining("5 members");
        assertThatThrownBy(() -> Pack.members(section(1, new byte[] {10, 'a'}), "bundles/p"))
                .hasMessageContaining("runs past");
        assertThatThrownBy(() -> Pack.members(section(1, new byte[] {1, 'a', 'b'}), "bundles/p"))
                .hasMessageContaining("after its 1 members");
        // an inflated length that lies, and a bomb's declared size
        byte[] lying = section(1, new byte[] {1, 'a'});
        lying[1] = 40;
        assertThatThrownBy(() -> Pack.members(lying, "bundles/p")).hasMessageContaining("bundles/p");
        assertThatThrownBy(() -> Pack.members(new byte[] {1, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40}, "p"))
                .hasMessageContaining("64 MiB");
    }

    /** A pack section of {@code count} members whose inflated bytes are {@code data} (lengths included). */
    private static byte[] section(int count, byte[] data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        DeltaCodec.varint(out, count);
        DeltaCodec.varint(out, data.length);
        out.writeBytes(BundleCompression.deflate(data, Optional.empty()));
        return out.toByteArray();
    }
}
