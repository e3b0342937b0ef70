package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.adapters.memory.InMemoryBlobStore;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.testing.FaultyBlobStore;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The repository's promises (repository-format.md §5–§9), on the in-memory and fault-injecting stores. */
class RepositoryTest {

    @Test
    void aSecondBackupWithOneVmChangedWritesOneBundleOneSubManifestAndTheSet() {
        RepoFixture f = RepoFixture.inMemory();
        MeteredBlobStore metered = new MeteredBlobStore(f.store);
        List<VmSnapshot> vms = new ArrayList<>(RepoFixture.fleet(20, "v1-"));
        BackupResult first = f.writer(metered).backup(vms, "prod", "r1", Progress.NONE);
        assertThat(first.bundlesWritten()).isEqualTo(20);

        metered.reset();
        vms.set(5, RepoFixture.vm("ns5", "vm-5", 2, "changed"));
        BackupResult second = f.writer(metered).backup(vms, "prod", "r2", Progress.NONE);
        assertThat(second.bundlesWritten()).isEqualTo(1);
        assertThat(second.manifestsWritten()).isEqualTo(1);
        assertThat(second.changedVms()).isEqualTo(1);
        assertThat(metered.puts()).isEqualTo(3); // the bundle, the sub-manifest, the set manifest

        metered.reset();
        BackupResult unchanged = f.writer(metered).backup(vms, "prod", "r3", Progress.NONE);
        assertThat(unchanged.bundlesWritten()).isZero();
        assertThat(unchanged.manifestsWritten()).isZero();
        assertThat(metered.puts()).isEqualTo(1);
    }

    @Test
    void withManyVmsOneChangeUploadsItsBundleOneOverlaySegmentAndTheSet() {
        RepoFixture f = RepoFixture.inMemory();
        MeteredBlobStore metered = new MeteredBlobStore(f.store);
        List<VmSnapshot> vms = new ArrayList<>(RepoFixture.fleet(2000, "v1-"));
        f.writer(metered).backup(vms, "prod", "r1", Progress.NONE);
        SetManifest m1 = f.reader().manifest(f.reader().latest().orElseThrow());
        assertThat(m1.tree().root()).isPresent();
        assertThat(m1.tree().overlay()).isEmpty();
        metered.reset();
        vms.set(77, RepoFixture.vm("ns0", "vm-77", 2, "changed"));
        f.writer(metered).backup(vms, "prod", "r2", Progress.NONE);
        assertThat(metered.puts()).isEqualTo(3); // the bundle, one overlay segment, the set manifest
        assertThat(metered.putBytes()).isLessThan(2_000);
        SetManifest m2 = f.reader().manifest(f.reader().latest().orElseThrow());
        assertThat(m2.tree().root()).isEqualTo(m1.tree().root());
        assertThat(m2.tree().overlay()).hasSize(1);
        assertThat(f.reader()
                        .load(m2.setId())
                        .entry(new VmRef("ns0", "vm-77"))
                        .orElseThrow()
                        .generation())
                .isEqualTo(2);
    }

    @Test
    void anUnchangedBackupUploadsOnlyTheSetWhoseSizeDoesNotGrowWithTheVms() {
        long[] setBytes = new long[2];
        int[] sizes = {20, 3000};
        for (int i = 0; i < sizes.length; i++) {
            RepoFixture f = RepoFixture.inMemory();
            MeteredBlobStore metered = new MeteredBlobStore(f.store);
            List<VmSnapshot> vms = RepoFixture.fleet(sizes[i], "v1-");
            f.writer(metered).backup(vms, "prod", "r1", Progress.NONE);
            metered.reset();
            f.writer(metered).backup(vms, "prod", "r2", Progress.NONE);
            assertThat(metered.puts()).isEqualTo(1);
            setBytes[i] = metered.putBytes();
        }
        // the same body but for vmCount's digits; gzip and the signature vary by a few bytes
        assertThat(Math.abs(setBytes[1] - setBytes[0])).isLessThan(16);
        assertThat(setBytes[1]).isLessThan(700);
    }

    @Test
    void revisionsCountUpAndHistoryListsEachOnce() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(List.of(RepoFixture.vm("a", "web", 1, "one")));
        f.backup(List.of(RepoFixture.vm("a", "web", 1, "one")));
        f.clock.advance(java.time.Duration.ofMinutes(1));
        f.backup(List.of(RepoFixture.vm("a", "web", 2, "two")));
        List<History.Item> h = History.of(f.reader(), new VmRef("a", "web"));
        assertThat(h).extracting(i -> i.entry().revision()).containsExactly(1L, 2L);
        assertThat(h).extracting(i -> i.entry().generation()).containsExactly(1L, 2L);
        assertThat(f.reader()
                        .bundle(History.revision(f.reader(), new VmRef("a", "web"), 1L))
                        .at("/vm/spec/payload")
                        .asText())
                .isEqualTo("one");
    }

    @Test
    void aSetIsNeverVisibleHalfWrittenWhateverRequestFails() {
        for (int n = 1; ; n++) {
            FaultyBlobStore[] faulty = new FaultyBlobStore[1];
            RepoFixture f = new RepoFixture(c -> faulty[0] = new FaultyBlobStore(new InMemoryBlobStore(c)));
            List<VmSnapshot> vms = new ArrayList<>(RepoFixture.fleet(30, "v1-"));
            f.backup(vms);
            vms.set(3, RepoFixture.vm("ns3", "vm-3", 2, "changed"));
            vms.add(RepoFixture.vm("new", "vm-new", 1, "new"));
            faulty[0].failRequest(n);
            boolean failed = false;
            try {
                f.backup(vms);
            } catch (VmConfigException e) {
                failed = true;
            }
            faulty[0].heal();
            RepoReader r = f.reader();
            assertThat(r.sets()).hasSize(failed ? 1 : 2);
            for (SetId id : r.sets()) {
                LoadedSet s = r.load(id);
                assertThat(s.problems()).isEmpty();
                s.entries().forEach(e -> assertThat(r.bundleBytes(e)).isNotEmpty());
            }
            assertThat(new RepoVerifier(r).verify(Progress.NONE).ok()).isTrue();
            if (!failed) {
                assertThat(n).isGreaterThan(3);
                return;
            }
        }
    }

    @Test
    void aPutBrokenMidUploadLeavesNoSetBehind() {
        for (int n = 1; n <= 4; n++) {
            FaultyBlobStore[] faulty = new FaultyBlobStore[1];
            RepoFixture f = new RepoFixture(c -> faulty[0] = new FaultyBlobStore(new InMemoryBlobStore(c)));
            faulty[0].failPutMidUpload(n);
            assertThatThrownBy(() -> f.backup(RepoFixture.fleet(3, "x"))).isInstanceOf(VmConfigException.class);
            assertThat(f.reader().sets()).isEmpty();
        }
    }

    @Test
    void aFlippedByteInABundleIsReportedByVerifyAndRefusesThatVmOnly() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(RepoFixture.fleet(5, "p"));
        RepoReader r = f.reader();
        LoadedSet set = r.load(r.latest().orElseThrow());
        Entry victim = set.entries().get(2);
        flip(f.store, victim.objectName());

        RepoVerifier.Report report = new RepoVerifier(f.reader()).verify(Progress.NONE);
        assertThat(report.problems()).extracting(Problem::object).containsExactly(victim.objectName());

        RepoRestoreInput in = RepoRestoreInput.read(f.reader(), set, new AppliedRevisions(), false);
        assertThat(in.refused()).extracting(v -> v.ref()).containsExactly(victim.key());
        assertThat(in.admitted()).hasSize(4).noneMatch(e -> e.key().equals(victim.key()));
        assertThat(in.integrityFailure()).isTrue();
    }

    @Test
    void aFlippedByteInATreeNodeFailsOnlyTheVmsUnderIt() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(RepoFixture.fleet(200, "p"));
        RepoReader r = f.reader();
        SetManifest m = r.manifest(r.latest().orElseThrow());
        ManifestTree.Inner root = (ManifestTree.Inner) r.node(m.tree().root().orElseThrow(), "");
        int c = 0;
        while (root.children().get(c).isEmpty()) {
            c++;
        }
        Digest leaf = root.children().get(c).orElseThrow();
        int under = ((ManifestTree.Leaf) r.node(leaf, ManifestTree.childPrefix("", c)))
                .entries()
                .size();
        assertThat(under).isBetween(1, 64);
        flip(f.store, ObjectNames.manifest(leaf));

        RepoVerifier.Report report = new RepoVerifier(f.reader()).verify(Progress.NONE);
        assertThat(report.problems()).extracting(Problem::object).containsExactly(ObjectNames.manifest(leaf));
        LoadedSet set = f.reader().load(m.setId());
        assertThat(set.entries()).hasSize(200 - under);
        RepoRestoreInput in = RepoRestoreInput.read(f.reader(), set, new AppliedRevisions(), false);
        assertThat(in.admitted()).hasSize(200 - under);
        assertThat(in.integrityFailure()).isTrue();
    }

    @Test
    void aFlippedByteInASetManifestFailsItsSignature() {
        RepoFixture f = RepoFixture.inMemory();
        BackupResult b = f.backup(RepoFixture.fleet(3, "p"));
        byte[] data = Gzip.decompress(f.store.get(ObjectNames.set(b.setId())).orElseThrow(), "set");
        String text = new String(data, StandardCharsets.UTF_8).replace("\"vmCount\":3", "\"vmCount\":4");
        assertThat(text).contains("\"vmCount\":4");
        f.store.put(ObjectNames.set(b.setId()), Gzip.compress(text.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> f.reader().manifest(b.setId()))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY));
        assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).problems())
                .extracting(Problem::object)
                .containsExactly(ObjectNames.set(b.setId()));
    }

    @Test
    void aManifestSignedByAnotherKeyIsRefusedUnlessVerificationIsSkipped() {
        RepoFixture f = RepoFixture.inMemory();
        BackupResult b = f.backup(RepoFixture.fleet(3, "p"));
        SetManifest genuine = f.reader().manifest(b.setId());
        KeyPair attacker = SigningKeys.generate(new SecureRandom());
        SetId forgedId = SetId.next(f.clock.instant().plusSeconds(60), f.random);
        SetManifest forged = new SetManifest(
                forgedId,
                genuine.repositoryId(),
                genuine.created(),
                "prod",
                "evil",
                "x",
                genuine.vmCount(),
                genuine.buckets(),
                genuine.tree());
        f.store.put(ObjectNames.set(forgedId), forged.sign(attacker.getPrivate(), attacker.getPublic()));

        assertThat(f.reader().latest()).contains(forgedId);
        assertThatThrownBy(() -> f.reader().load(forgedId)).isInstanceOfSatisfying(VmConfigException.class, e -> {
            assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
            assertThat(e.getMessage()).contains("not signed by a trusted key");
        });
        RepoReader insecure = new RepoReader(f.store, Trust.insecure(), Optional.of(f.key));
        assertThat(insecure.load(forgedId).entries()).hasSize(3);
        assertThatThrownBy(() -> Trust.keys(List.of())).isInstanceOf(VmConfigException.class);
    }

    @Test
    void aSetCopiedFromAnotherRepositoryIsRefused() {
        RepoFixture a = RepoFixture.inMemory();
        RepoFixture b = RepoFixture.inMemory();
        BackupResult r = a.backup(RepoFixture.fleet(2, "p"));
        b.store.put(
                ObjectNames.set(r.setId()),
                a.store.get(ObjectNames.set(r.setId())).orElseThrow());
        RepoReader reader = new RepoReader(b.store, Trust.keys(List.of(a.signer.getPublic())), Optional.empty());
        assertThatThrownBy(() -> reader.manifest(r.setId())).hasMessageContaining("another repository");
    }

    @Test
    void anUnknownFormatVersionIsRefused() {
        RepoFixture f = RepoFixture.inMemory();
        String root = new String(f.store.get(ObjectNames.ROOT).orElseThrow(), StandardCharsets.UTF_8)
                .replace("\"version\":4", "\"version\":5");
        f.store.put(ObjectNames.ROOT, root.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(f::reader).isInstanceOfSatisfying(VmConfigException.class, e -> {
            assertThat(e.kind()).isEqualTo(VmConfigException.Kind.REFUSED);
            assertThat(e.getMessage()).contains("version 5");
        });
    }

    @Test
    void anOlderRevisionIsRefusedByTheReaderAndByTheWriter() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(List.of(RepoFixture.vm("a", "web", 3, "old")));
        SetId older = f.reader().latest().orElseThrow();
        f.clock.advance(java.time.Duration.ofMinutes(5));
        f.backup(List.of(RepoFixture.vm("a", "web", 5, "new")));
        SetId newer = f.reader().latest().orElseThrow();

        AppliedRevisions applied = new AppliedRevisions();
        RepoRestoreInput in = RepoRestoreInput.read(f.reader(), f.reader().load(newer), applied, false);
        in.admitted().forEach(applied::record);
        RepoRestoreInput back = RepoRestoreInput.read(f.reader(), f.reader().load(older), applied, false);
        assertThat(back.admitted()).isEmpty();
        assertThat(back.olderRefused()).isTrue();
        assertThat(back.refused().get(0).details().get(0)).contains("older than the applied revision 2");
        assertThat(RepoRestoreInput.read(f.reader(), f.reader().load(older), applied, true)
                        .admitted())
                .hasSize(1);

        BackupResult stale = f.backup(List.of(RepoFixture.vm("a", "web", 4, "stale input")));
        assertThat(stale.refusedOlder()).containsExactly(new VmRef("a", "web"));
        assertThat(f.reader().load(stale.setId()).entries().get(0).generation()).isEqualTo(5);
    }

    @Test
    void bundlesWithSecretDataAreEncryptedAndUnreadableWithoutTheKey() {
        RepoFixture f = RepoFixture.inMemory();
        VmSnapshot s = RepoFixture.vmWithSecret("a", "db", "hunter2-very-secret");
        f.backup(List.of(s, RepoFixture.vm("a", "plain", 1, "x")));
        Entry e = f.reader()
                .load(f.reader().latest().orElseThrow())
                .entry(new VmRef("a", "db"))
                .orElseThrow();
        assertThat(e.encrypted()).isTrue();
        byte[] stored = f.store.get(e.objectName()).orElseThrow();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1))
                .doesNotContain("hunter2")
                .doesNotContain("userdata");
        assertThat(e.bundle().digest()).isNotEqualTo(Digest.sha256(s.bundleBytes())); // keyed name, not a plain hash
        assertThat(f.reader().bundle(e).toString()).contains("hunter2-very-secret");

        RepoReader noKey = new RepoReader(f.store, Trust.keys(List.of(f.signer.getPublic())), Optional.empty());
        assertThatThrownBy(() -> noKey.bundle(e))
                .isInstanceOfSatisfying(
                        VmConfigException.class, ex -> assertThat(ex.kind()).isEqualTo(VmConfigException.Kind.CONFIG));
        assertThat(new RepoVerifier(noKey).verify(Progress.NONE).ok()).isTrue(); // hashes still checked
        RepositoryKey other = RepositoryKey.of(RepositoryKey.generate(new java.util.Random(1)));
        assertThatThrownBy(() -> other.decrypt(e.bundle(), stored))
                .isInstanceOfSatisfying(
                        VmConfigException.class,
                        ex -> assertThat(ex.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY));
        assertThatThrownBy(() -> new RepoReader(f.store, Trust.insecure(), Optional.of(other)))
                .hasMessageContaining("is not this repository's key");
    }

    @Test
    void aVmTwiceInOneBackupIsRefusedBeforeAnythingIsWritten() {
        RepoFixture f = RepoFixture.inMemory();
        assertThatThrownBy(() -> f.backup(List.of(RepoFixture.vm("a", "x", 1, "1"), RepoFixture.vm("a", "x", 2, "2"))))
                .hasMessageContaining("a/x appears more than once");
        assertThat(f.store.list(ObjectNames.BUNDLES)).isEmpty();
    }

    @Test
    void secretDataIsNeverStoredWithoutTheKey() {
        RepoFixture f = RepoFixture.inMemory();
        RepoWriter noKey = new RepoWriter(
                f.store, f.signer.getPrivate(), f.signer.getPublic(), Optional.empty(), f.clock, f.random, "test");
        assertThatThrownBy(() ->
                        noKey.backup(List.of(RepoFixture.vmWithSecret("a", "db", "pw")), "prod", "r", Progress.NONE))
                .isInstanceOfSatisfying(VmConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG);
                    assertThat(e.getMessage()).contains("--key").doesNotContain("pw");
                });
        assertThat(f.store.list(ObjectNames.BUNDLES)).isEmpty();
    }

    @Test
    void aWriterWhoseKeyIsNotARepositorySignerIsRefused() {
        RepoFixture f = RepoFixture.inMemory();
        KeyPair other = SigningKeys.generate(new SecureRandom());
        RepoWriter w = new RepoWriter(
                f.store, other.getPrivate(), other.getPublic(), Optional.of(f.key), f.clock, f.random, "test");
        assertThatThrownBy(() -> w.backup(RepoFixture.fleet(1, "p"), "prod", "r", Progress.NONE))
                .hasMessageContaining("not one of the repository's signers");
        assertThat(f.reader().root().signerFor(other.getPrivate())).isEmpty();
        assertThat(f.reader().root().signerFor(f.signer.getPrivate())).isPresent();
    }

    @Test
    void anEncryptedBundleMovedUnderAnotherNameFailsItsTag() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(List.of(RepoFixture.vmWithSecret("a", "db", "s1"), RepoFixture.vmWithSecret("a", "db2", "s2")));
        List<Entry> es = f.reader().load(f.reader().latest().orElseThrow()).entries();
        byte[] first = f.store.get(es.get(0).objectName()).orElseThrow();
        assertThatThrownBy(() -> f.key.decrypt(es.get(1).bundle(), first)).hasMessageContaining("authentication");
    }

    static void flip(BlobStore store, String name) {
        byte[] b = store.get(name).orElseThrow();
        b[b.length / 2] ^= 0x01;
        store.put(name, b);
    }
}
