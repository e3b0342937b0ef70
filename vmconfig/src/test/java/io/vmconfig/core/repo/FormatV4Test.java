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

/** Format version 4 (repository-format.md §5.4, §6.3): content digests, entries in columns, delta bundles. */
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
                base);
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
            assertThat(e[1].size()).isLessThan(e[0].size() / 2 + 1);
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
}
