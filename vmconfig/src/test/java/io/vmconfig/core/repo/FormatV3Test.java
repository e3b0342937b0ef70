package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** Format version 3 (repository-format.md §5.3, §6.2, §12): compressed bundles, manifest trees, the upgrade. */
class FormatV3Test {
    private static final String WHAT = "bundles/feed";

    @Test
    void aBundleRoundTripsWithAndWithoutADictionary() {
        byte[] plain = RepoFixture.vm("lab", "web", 1, "x".repeat(500)).bundleBytes();
        Dictionary dict = Dictionary.of(RepoFixture.vm("lab", "db", 1, "y").bundleBytes());
        byte[] none = BundleCompression.compress(plain, Optional.empty());
        byte[] with = BundleCompression.compress(plain, Optional.of(dict));
        assertThat(BundleCompression.decompress(none, (d, isSealed) -> null, WHAT))
                .isEqualTo(plain);
        assertThat(BundleCompression.decompress(with, (d, isSealed) -> d.equals(dict.digest()) ? dict : null, WHAT))
                .isEqualTo(plain);
        assertThat(with.length).isLessThan(none.length);
        assertThat(BundleCompression.dictionaryOf(with, WHAT)).contains(dict.digest());
    }

    @Test
    void aDecompressionBombFailsNamingTheObjectWithoutInflatingIt() {
        // 1 GiB of zeros deflates to about 1 MiB; it declares 100 bytes
        Deflater d = new Deflater(9, true);
        byte[] zeros = new byte[1 << 20];
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (int i = 0; i < 1024; i++) {
            d.setInput(zeros);
            while (!d.needsInput()) {
                body.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            body.write(buf, 0, d.deflate(buf));
        }
        d.end();
        byte[] bomb = frame(100, body.toByteArray());
        assertThatThrownBy(() -> BundleCompression.decompress(bomb, (x, y) -> null, WHAT))
                .isInstanceOfSatisfying(VmConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
                    assertThat(e.getMessage()).contains(WHAT).contains("beyond its declared 100 bytes");
                });
        // and one that declares more than a reader inflates is refused before anything is allocated
        assertThatThrownBy(() -> BundleCompression.decompress(
                        frame(Integer.MAX_VALUE, body.toByteArray()), (x, y) -> null, WHAT))
                .hasMessageContaining(WHAT)
                .hasMessageContaining("more than the 64 MiB");
        assertThatThrownBy(() -> BundleCompression.decompress(frame(-1, new byte[0]), (x, y) -> null, WHAT))
                .hasMessageContaining("more than the 64 MiB");
    }

    @Test
    void malformedCompressedDataFailsNamingTheObject() {
        byte[] plain = "{\"format\":1}".repeat(50).getBytes(StandardCharsets.UTF_8);
        byte[] good = BundleCompression.compress(plain, Optional.empty());
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 2);
        byte[] garbage = frame(plain.length, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
        byte[] unknownCodec = good.clone();
        unknownCodec[0] = 7;
        byte[] shortDeclared = frame(plain.length + 10, java.util.Arrays.copyOfRange(good, 37, good.length));
        for (byte[] bad : List.of(truncated, trailing, garbage, unknownCodec, shortDeclared, new byte[3])) {
            assertThatThrownBy(() -> BundleCompression.decompress(bad, (x, y) -> null, WHAT))
                    .isInstanceOfSatisfying(VmConfigException.class, e -> {
                        assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
                        assertThat(e.getMessage()).startsWith(WHAT);
                    });
        }
    }

    @Test
    void randomBytesNeverInflateUnboundedOrThrowAnythingButIntegrity() {
        Random r = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[r.nextInt(300)];
            r.nextBytes(body);
            byte[] f = frame(r.nextInt(1 << 16), body);
            try {
                assertThat(BundleCompression.decompress(f, (x, y) -> null, WHAT).length)
                        .isLessThanOrEqualTo(1 << 16);
            } catch (VmConfigException e) {
                assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
                assertThat(e.getMessage()).contains(WHAT);
            }
        }
    }

    private static byte[] frame(int declared, byte[] deflate) {
        return ByteBuffer.allocate(37 + deflate.length)
                .put((byte) 1)
                .put(new byte[32])
                .putInt(declared)
                .put(deflate)
                .array();
    }

    @Test
    void secretBundlesAreCompressedThenEncryptedAndNamedByTheirStoredBytes() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> vms = new ArrayList<>(RepoFixture.fleet(12, "plain"));
        vms.add(RepoFixture.vmWithSecret("lab", "s", "hunter2-" + "z".repeat(400)));
        BackupResult b = f.backup(vms);
        LoadedSet set = f.reader().load(b.setId());
        Entry secret = set.entry(new VmRef("lab", "s")).orElseThrow();
        assertThat(secret.encrypted()).isTrue();
        assertThat(secret.compressed()).isTrue();
        assertThat(secret.bundle()).isEqualTo(f.key.contentDigest(vms.get(12).bundleBytes()));
        byte[] stored = f.store.get(secret.objectName()).orElseThrow();
        assertThat(secret.objectName())
                .isEqualTo(ObjectNames.BUNDLES + Digest.sha256(stored).hex());
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        // compressed before it was encrypted: 400 repeated bytes do not survive as 400 bytes of ciphertext
        assertThat(stored.length).isLessThan(vms.get(12).bundleBytes().length / 2);
        assertThat(f.reader().bundleBytes(secret)).isEqualTo(vms.get(12).bundleBytes());
        // the plain dictionary was trained from the plain bundles only; too few Secret-holding ones for a sealed one
        SetManifest.Tree tree = f.reader().manifest(b.setId()).tree();
        assertThat(new String(
                        f.store
                                .get(ObjectNames.dictionaryV4(tree.dictionary().orElseThrow()))
                                .orElseThrow(),
                        StandardCharsets.UTF_8))
                .doesNotContain("hunter2")
                .contains("plain");
        assertThat(tree.secretDictionary()).isEmpty();
        // a ciphertext moved under another VM's entry fails its tag, naming the object
        Entry other = set.entry(new VmRef("ns0", "vm-0")).orElseThrow();
        Entry moved = new Entry(
                other.key(),
                other.uid(),
                other.generation(),
                1,
                other.capturedAt(),
                other.bundle(),
                secret.sha256(),
                secret.size(),
                true,
                true);
        // version 4: the object is bound to its entry by its sha256 and to the content by the keyed digest
        assertThatThrownBy(() -> f.reader().bundleBytes(moved))
                .hasMessageContaining(secret.objectName())
                .hasMessageContaining("does not inflate to the bundle its entry names");
        assertThatThrownBy(() -> new RepoReader(f.store, Trust.keys(List.of(f.signer.getPublic())), Optional.empty())
                        .bundleBytes(secret))
                .hasMessageContaining("--key");
    }

    @Test
    void secretHoldingBundlesShareASealedDictionaryThatHoldsNoReadableSecret() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> vms = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            vms.add(RepoFixture.vmWithSecret("lab", "s" + i, "hunter2-shared-cloud-init-" + "q".repeat(300)));
        }
        BackupResult b = f.backup(vms);
        SetManifest.Tree tree = f.reader().manifest(b.setId()).tree();
        Digest sealed = tree.secretDictionary().orElseThrow();
        byte[] stored = f.store.get(ObjectNames.dictionaryV4(sealed)).orElseThrow();
        assertThat(Digest.sha256(stored)).isEqualTo(sealed);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        LoadedSet set = f.reader().load(b.setId());
        for (Entry e : set.entries()) {
            assertThat(f.reader().bundleBytes(e))
                    .isEqualTo(vms.stream()
                            .filter(v -> v.key().equals(e.key()))
                            .findFirst()
                            .orElseThrow()
                            .bundleBytes());
        }
        // with the shared dictionary a bundle costs what makes it differ: far below its own compressed size
        Entry last = set.entry(new VmRef("lab", "s19")).orElseThrow();
        byte[] alone = BundleCompression.compress(vms.get(19).bundleBytes(), Optional.empty());
        assertThat(last.size()).isLessThan(alone.length / 2);
        // without the key: verify checks size and sha256 only, a reader cannot open the sealed dictionary
        RepoReader keyless = new RepoReader(f.store, Trust.keys(List.of(f.signer.getPublic())), Optional.empty());
        assertThat(new RepoVerifier(keyless).verify(Progress.NONE).problems()).isEmpty();
        assertThatThrownBy(() -> keyless.dictionary(sealed, true)).hasMessageContaining("--key");
        // a dictionary altered in the store fails every bundle that names it, naming the dictionary
        stored[stored.length - 1] ^= 1;
        f.store.put(ObjectNames.dictionaryV4(sealed), stored);
        assertThatThrownBy(() -> f.reader().bundleBytes(last)).hasMessageContaining(ObjectNames.dictionaryV4(sealed));
    }

    /**
     * Seeded: random fleets changed at random (new, changed, removed VMs) over many backups. After each, the set
     * holds exactly the input, the bounded lookup agrees, the overlay stays within its limits, and a fold gives the
     * tree a fresh build of the same entries gives (the shape depends on the entries only).
     */
    @Test
    void treesAndOverlaysHoldExactlyTheInputWhateverTheHistory() {
        for (long seed = 1; seed <= 6; seed++) {
            Random r = new Random(seed);
            RepoFixture f = RepoFixture.inMemory();
            Map<VmRef, VmSnapshot> fleet = new TreeMap<>();
            int size = 5 + r.nextInt(seed % 2 == 0 ? 400 : 60);
            for (int i = 0; i < size; i++) {
                VmSnapshot v = RepoFixture.vm("ns" + r.nextInt(9), "vm-" + i, 1, "p" + r.nextInt(4));
                fleet.put(v.key(), v);
            }
            boolean sawFold = false;
            boolean sawOverlay = false;
            for (int run = 0; run < 25; run++) {
                List<VmRef> keys = new ArrayList<>(fleet.keySet());
                int changes = r.nextInt(4) == 0 ? r.nextInt(Math.max(1, keys.size())) : r.nextInt(4);
                for (int c = 0; c < changes && !keys.isEmpty(); c++) {
                    VmRef k = keys.get(r.nextInt(keys.size()));
                    int op = r.nextInt(3);
                    if (op == 0) {
                        fleet.remove(k);
                    } else {
                        VmSnapshot old = fleet.get(k);
                        if (old != null) {
                            fleet.put(
                                    k,
                                    RepoFixture.vm(k.namespace(), k.name(), old.generation() + 1, "p" + r.nextInt(6)));
                        }
                    }
                    if (op == 2) {
                        VmSnapshot v = RepoFixture.vm("ns" + r.nextInt(9), "new-" + run + "-" + c, 1, "n");
                        fleet.put(v.key(), v);
                    }
                }
                f.clock.advance(Duration.ofMinutes(1));
                BackupResult b = f.backup(List.copyOf(fleet.values()));
                RepoReader reader = f.reader();
                SetManifest m = reader.manifest(b.setId());
                LoadedSet set = reader.load(b.setId());
                assertThat(set.problems()).isEmpty();
                assertThat(m.tree().overlay().size()).isLessThanOrEqualTo(ManifestTree.MAX_OVERLAY);
                assertThat(set.overlayChanges()).isLessThanOrEqualTo(RepoWriter.overlayLimit(fleet.size()));
                sawOverlay |= !m.tree().overlay().isEmpty();
                Map<VmRef, Entry> byKey = new HashMap<>();
                set.entries().forEach(e -> byKey.put(e.key(), e));
                assertThat(byKey.keySet()).as("seed %d run %d", seed, run).isEqualTo(fleet.keySet());
                for (VmSnapshot v : fleet.values()) {
                    Entry e = byKey.get(v.key());
                    assertThat(reader.bundleBytes(e)).isEqualTo(v.bundleBytes());
                    assertThat(reader.entry(m, v.key())).contains(e);
                }
                assertThat(reader.entry(m, new VmRef("nowhere", "none"))).isEmpty();
                if (m.tree().overlay().isEmpty() && run > 0) {
                    sawFold = true;
                    // a fold from scratch gives every node the content of the written one (nodes are salted, so
                    // names differ between runs: the writer reuses by content, repository-format.md §5.6)
                    java.util.Map<Digest, Digest> byContent = new java.util.HashMap<>();
                    set.manifests()
                            .forEach(d -> byContent.put(set.contentNames().getOrDefault(d, d), d));
                    List<Entry> shuffled = new ArrayList<>(set.entries());
                    java.util.Collections.shuffle(shuffled, r);
                    List<Digest> put = new ArrayList<>();
                    assertThat(ManifestTree.build(
                                    shuffled,
                                    new ManifestTree.Known(byContent, Salt.draw(r)),
                                    (d, bytes) -> put.add(d)))
                            .isEqualTo(m.tree().root());
                    assertThat(put).isEmpty();
                }
            }
            assertThat(sawOverlay).as("seed %d wrote overlays", seed).isTrue();
            assertThat(sawFold || fleet.size() < 2).as("seed %d folded", seed).isTrue();
        }
    }

    /** Restoring one VM reads the set, its path and its bundle: the same few objects for 300 VMs as for 3,000. */
    @Test
    void oneVmIsReadFromABoundedNumberOfObjectsWhateverTheSizeOfTheSet() {
        long[] gets = new long[2];
        int[] sizes = {300, 3000};
        for (int i = 0; i < sizes.length; i++) {
            RepoFixture f = RepoFixture.inMemory();
            List<VmSnapshot> vms = new ArrayList<>(RepoFixture.fleet(sizes[i], "p"));
            f.backup(vms);
            vms.set(7, RepoFixture.vm("ns0", "vm-7", 2, "changed"));
            f.clock.advance(Duration.ofMinutes(1));
            BackupResult b = f.backup(vms); // one overlay segment on top of the tree
            MeteredBlobStore metered = new MeteredBlobStore(f.store);
            RepoReader reader = new RepoReader(metered, Trust.keys(List.of(f.signer.getPublic())), Optional.of(f.key));
            metered.reset();
            LoadedSet one = reader.loadOnly(b.setId(), List.of(new VmRef("ns3", "vm-3")));
            assertThat(reader.bundleBytes(one.entries().get(0)))
                    .isEqualTo(vms.get(3).bundleBytes());
            gets[i] = metered.gets();
            assertThat(reader.loadOnly(b.setId(), List.of(new VmRef("ns0", "vm-7")))
                            .entries()
                            .get(0)
                            .generation())
                    .isEqualTo(2);
        }
        // the set, the overlay segment, the root and one leaf (one more level at 3,000), the bundle, the dictionary
        assertThat(gets[0]).isLessThanOrEqualTo(6);
        assertThat(gets[1]).isLessThanOrEqualTo(7);
    }

    @Test
    void aVersion2RepositoryIsUpgradedWithItsHistoryAndUnchangedBundlesAreNotUploadedAgain() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> v2 = new ArrayList<>(RepoFixture.fleet(30, "old"));
        v2.add(RepoFixture.vmWithSecret("lab", "s", "pw"));
        SetId legacy = RepoFixture.writeVersion2Set(f.store, f.key, f.signer, v2, f.clock, f.random);
        assertThatThrownBy(() -> f.backup(v2)).hasMessageContaining("repo upgrade");
        assertThat(RepoInit.upgrade(f.store, f.key).version()).isEqualTo(RootObject.VERSION);

        f.clock.advance(Duration.ofMinutes(5));
        List<VmSnapshot> v3 = new ArrayList<>(v2);
        v3.set(4, RepoFixture.vm("ns4", "vm-4", 2, "new"));
        MeteredBlobStore metered = new MeteredBlobStore(f.store);
        BackupResult b = f.writer(metered).backup(v3, "prod", "after-upgrade", Progress.NONE);
        assertThat(b.bundlesWritten()).isEqualTo(1);
        assertThat(b.changedVms()).isEqualTo(1);
        RepoReader reader = f.reader();
        LoadedSet now = reader.load(b.setId());
        assertThat(now.entries())
                .filteredOn(Entry::compressed)
                .extracting(Entry::key)
                .containsExactly(new VmRef("ns4", "vm-4"));
        for (int i = 0; i < v3.size(); i++) {
            VmSnapshot v = v3.get(i);
            assertThat(reader.bundleBytes(now.entry(v.key()).orElseThrow())).isEqualTo(v.bundleBytes());
            assertThat(reader.bundleBytes(
                            reader.load(legacy).entry(v2.get(i).key()).orElseThrow()))
                    .isEqualTo(v2.get(i).bundleBytes());
        }
        assertThat(History.of(reader, new VmRef("ns4", "vm-4")))
                .extracting(h -> h.entry().revision())
                .containsExactly(1L, 2L);
        assertThat(new RepoVerifier(reader).verify(Progress.NONE).problems()).isEmpty();
    }
}
