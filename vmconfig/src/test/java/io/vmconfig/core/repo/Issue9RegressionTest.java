package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, "Repository: nothing is ever lost": one regression test per item, in the issue's order, on the pure
 * core over the memory store. The CLI items are in {@code cli.Issue9CommandsTest}, concurrency in
 * {@code ConcurrentWritersTest}, the randomized run in {@code RepositoryTortureTest}.
 */
class Issue9RegressionTest {
    private static final PrunePolicy KEEP_ONE =
            new PrunePolicy(1, Duration.ZERO, Duration.ofSeconds(2 * RootObject.DEFAULT_MAX_RUN_SECONDS));

    private static VmSnapshot secretVm(String value) {
        return RepoFixture.vmWithSecret("lab", "db-02", value);
    }

    private static void assertEverySetRestoresItsBytes(
            RepoFixture f, List<BackupResult> runs, List<List<VmSnapshot>> inputs) {
        RepoReader reader = f.reader();
        for (int i = 0; i < runs.size(); i++) {
            LoadedSet set = reader.load(runs.get(i).setId());
            for (VmSnapshot vm : inputs.get(i)) {
                Entry e = set.entry(vm.key()).orElseThrow();
                assertThat(reader.bundleBytes(e)).as("set %d, %s", i, vm.key()).isEqualTo(vm.bundleBytes());
            }
        }
    }

    // item 1: a VM going back to an earlier config must not corrupt older sets

    @Test
    void item1_aVmRevertingToAnEarlierConfigLeavesEveryOlderSetIntact() {
        RepoFixture f = RepoFixture.inMemory();
        List<List<VmSnapshot>> inputs =
                List.of(List.of(secretVm("one")), List.of(secretVm("two")), List.of(secretVm("one")));
        List<BackupResult> runs = new ArrayList<>();
        for (List<VmSnapshot> in : inputs) {
            runs.add(f.backup(in));
            f.clock.advance(Duration.ofMinutes(1));
        }
        assertEverySetRestoresItsBytes(f, runs, inputs);
        assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).problems())
                .isEmpty();
        assertThat(f.reader().load(runs.get(0).setId()).entries().get(0).bundle())
                .isEqualTo(f.reader().load(runs.get(2).setId()).entries().get(0).bundle());
    }

    @Test
    void item1_equalPlaintextGivesEqualStoredBytesUnderAVersion2Name() {
        RepositoryKey k = RepositoryKey.of(new byte[32]);
        byte[] plain = "{\"format\":1}".getBytes(StandardCharsets.UTF_8);
        BundleId id = k.nameFor(plain);
        assertThat(k.encrypt(id, plain)).isEqualTo(k.encrypt(id, plain));
        assertThat(k.nameFor(plain)).isNotEqualTo(k.nameForV1(plain));
        assertThat(k.decrypt(id, k.encrypt(id, plain))).isEqualTo(plain);
        byte[] other = "{\"format\":2}".getBytes(StandardCharsets.UTF_8);
        // a synthetic IV differs with the plaintext, so two plaintexts never share a nonce
        assertThat(java.util.Arrays.copyOf(k.encrypt(k.nameFor(other), other), 12))
                .isNotEqualTo(java.util.Arrays.copyOf(k.encrypt(id, plain), 12));
    }

    @Test
    void item1_aKeyRotationToASecondSignerLeavesTheFirstSignersSetsIntact() {
        RepoFixture f = RepoFixture.inMemory();
        KeyPair second = SigningKeys.generate(new SecureRandom());
        RootObject root = RepoReader.readRoot(f.store);
        f.store.put(
                ObjectNames.ROOT,
                new RootObject(
                                root.version(),
                                root.repositoryId(),
                                root.created(),
                                List.of(f.signer.getPublic(), second.getPublic()),
                                root.encryptionKeyId(),
                                root.maxRunSeconds())
                        .toBytes());
        List<List<VmSnapshot>> inputs = List.of(List.of(secretVm("one")), List.of(secretVm("one")));
        BackupResult first = f.backup(inputs.get(0));
        f.clock.advance(Duration.ofMinutes(1));
        BackupResult rotated = new RepoWriter(
                        f.store, second.getPrivate(), second.getPublic(), Optional.of(f.key), f.clock, f.random, "test")
                .backup(inputs.get(1), "prod", "r", Progress.NONE);
        assertThat(rotated.bundlesWritten())
                .as("the new signer continues the old signer's history")
                .isZero();
        RepoReader both = new RepoReader(
                f.store, Trust.keys(List.of(f.signer.getPublic(), second.getPublic())), Optional.of(f.key));
        assertThat(new RepoVerifier(both).verify(Progress.NONE).problems()).isEmpty();
        assertThat(both.load(rotated.setId()).entries().get(0).revision()).isEqualTo(1);
        assertThat(both.bundleBytes(both.load(first.setId()).entries().get(0)))
                .isEqualTo(inputs.get(0).get(0).bundleBytes());
    }

    @Test
    void item1_aMissingSubManifestOfTheLatestSetMakesNoWriterRewriteOlderBundles() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> in = List.of(secretVm("one"), RepoFixture.vm("lab", "web", 1, "w"));
        BackupResult first = f.backup(in);
        f.clock.advance(Duration.ofMinutes(1));
        BackupResult second = f.backup(List.of(secretVm("two"), RepoFixture.vm("lab", "web", 2, "w2")));
        // the latest set loses a sub-manifest: the next writer skips it as a parent and uploads everything again
        java.util.Set<Digest> onlySecond =
                new java.util.HashSet<>(f.reader().load(second.setId()).manifests());
        onlySecond.removeAll(f.reader().load(first.setId()).manifests());
        assertThat(onlySecond).isNotEmpty();
        f.store.delete(ObjectNames.manifest(onlySecond.iterator().next()));
        f.clock.advance(Duration.ofMinutes(1));
        List<VmSnapshot> reverted = List.of(secretVm("one"), RepoFixture.vm("lab", "web", 3, "w"));
        BackupResult third = f.backup(reverted);
        assertThat(third.warnings()).anyMatch(w -> w.contains(second.setId().value()));
        assertEverySetRestoresItsBytes(f, List.of(first, third), List.of(in, reverted));
    }

    @Test
    void item1_aVersion1RepositoryStaysReadableAndIsUpgradedWithoutTouchingHistory() throws Exception {
        RepoFixture f = RepoFixture.inMemory();
        RootObject v2 = RepoReader.readRoot(f.store);
        RootObject v1 = new RootObject(
                1, v2.repositoryId(), v2.created(), v2.signers(), v2.encryptionKeyId(), v2.maxRunSeconds());
        f.store.put(ObjectNames.ROOT, v1.toBytes());
        // a version 1 writer's set: v1 name label, random nonce (written here the way version 1 did)
        VmSnapshot vm = secretVm("one");
        byte[] plain = vm.bundleBytes();
        BundleId id = f.key.nameForV1(plain);
        byte[] stored = v1Encrypt(rawKeyOf(f), id, plain);
        f.store.put(ObjectNames.bundle(id), stored);
        Entry e = new Entry(
                vm.key(),
                vm.uid(),
                vm.generation(),
                1,
                f.clock.instant(),
                id,
                Digest.sha256(stored),
                stored.length,
                true);
        byte[] sub = new SubManifest(0, List.of(e)).toBytes();
        f.store.put(ObjectNames.manifest(Digest.sha256(sub)), sub);
        SetId setId = SetId.next(f.clock.instant(), f.random);
        f.store.put(
                ObjectNames.set(setId),
                new SetManifest(
                                setId,
                                v1.repositoryId(),
                                f.clock.instant(),
                                "prod",
                                "v1",
                                "0.0.1",
                                1,
                                List.of(Optional.of(Digest.sha256(sub))))
                        .sign(f.signer.getPrivate(), f.signer.getPublic()));

        assertThat(f.reader().bundleBytes(f.reader().load(setId).entries().get(0)))
                .isEqualTo(plain);
        assertThatThrownBy(() -> f.backup(List.of(vm))).isInstanceOfSatisfying(VmConfigException.class, ex -> {
            assertThat(ex.kind()).isEqualTo(VmConfigException.Kind.CONFIG);
            assertThat(ex.getMessage()).contains("vmconfig repo upgrade").contains("version 1");
        });
        List<String> before = f.store.list("");
        RootObject up = RepoInit.upgrade(f.store, f.key);
        assertThat(up.version()).isEqualTo(RootObject.VERSION);
        assertThat(f.store.list("")).isEqualTo(before);
        assertThat(f.store.get(ObjectNames.bundle(id)).orElseThrow()).isEqualTo(stored);
        f.clock.advance(Duration.ofMinutes(1));
        BackupResult after = f.backup(List.of(vm));
        assertThat(after.bundlesWritten())
                .as("a v2 name never equals the v1 name")
                .isEqualTo(1);
        assertThat(f.store.get(ObjectNames.bundle(id)).orElseThrow()).isEqualTo(stored);
        assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).problems())
                .isEmpty();
        assertThatThrownBy(() -> RepoInit.upgrade(f.store, RepositoryKey.of(new byte[32])))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("not this repository's key");
    }

    private static byte[] rawKeyOf(RepoFixture f) {
        return f.rawKey;
    }

    /** Version 1 encryption per repository-format.md §5.2 (v1): a random nonce, the same AAD. */
    private static byte[] v1Encrypt(byte[] k, BundleId id, byte[] plain) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(k, "HmacSHA256"));
        byte[] enc = m.doFinal("vmconfig aes-256-gcm".getBytes(StandardCharsets.UTF_8));
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(enc, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(("vmconfig bundle " + id.hex()).getBytes(StandardCharsets.UTF_8));
        byte[] ct = c.doFinal(plain);
        byte[] out = java.util.Arrays.copyOf(nonce, 12 + ct.length);
        System.arraycopy(ct, 0, out, 12, ct.length);
        return out;
    }

    // item 2: garbage in sets/ must never make prune delete valid sets

    @Test
    void item2_pruneNeverCountsGarbageOrForeignSetsAndKeepsTheNewestValidSet() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> in = List.of(secretVm("one"), RepoFixture.vm("lab", "web", 1, "w"));
        f.backup(in);
        f.clock.advance(Duration.ofMinutes(1));
        BackupResult newest = f.backup(in);
        SetManifest genuine = f.reader().manifest(newest.setId());
        // a junk file named like a newer set, a set signed by a foreign key naming the valid sub-manifests,
        // and a stray name
        SetId junk = SetId.next(f.clock.instant().plus(Duration.ofDays(1)), f.random);
        f.store.put(ObjectNames.set(junk), "junk".getBytes(StandardCharsets.UTF_8));
        KeyPair foreign = SigningKeys.generate(new SecureRandom());
        SetId forgedId = SetId.next(f.clock.instant().plus(Duration.ofDays(2)), f.random);
        f.store.put(
                ObjectNames.set(forgedId),
                new SetManifest(
                                forgedId,
                                genuine.repositoryId(),
                                genuine.created(),
                                "prod",
                                "evil",
                                "x",
                                genuine.vmCount(),
                                genuine.buckets(),
                                genuine.tree())
                        .sign(foreign.getPrivate(), foreign.getPublic()));
        f.store.put("sets/notes.txt", "x".getBytes(StandardCharsets.UTF_8));

        PrunePlan last = null;
        for (int run = 0; run < 6; run++) {
            f.clock.advance(KEEP_ONE.grace().plusMinutes(1));
            last = new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        }
        assertThat(last.keptSets()).containsExactly(newest.setId());
        assertThat(last.problems())
                .extracting(Problem::object)
                .containsExactlyInAnyOrder(ObjectNames.set(junk), ObjectNames.set(forgedId), "sets/notes.txt");
        assertThat(f.store.get(ObjectNames.set(junk)))
                .as("unverifiable files are never deleted")
                .isPresent();
        assertThat(f.store.get(ObjectNames.set(forgedId))).isPresent();
        assertEverySetRestoresItsBytes(f, List.of(newest), List.of(in));
        assertThat(f.reader().sets()).contains(newest.setId()).hasSize(3);
    }

    @Test
    void item2_aParseableForeignSetProtectsTheObjectsItNames() {
        RepoFixture f = RepoFixture.inMemory();
        BackupResult old = f.backup(List.of(RepoFixture.vm("lab", "a", 1, "old")));
        f.clock.advance(Duration.ofMinutes(1));
        f.backup(List.of(RepoFixture.vm("lab", "a", 2, "new")));
        SetManifest oldManifest = f.reader().manifest(old.setId());
        KeyPair foreign = SigningKeys.generate(new SecureRandom());
        SetId forgedId = SetId.next(f.clock.instant().plusSeconds(5), f.random);
        f.store.put(
                ObjectNames.set(forgedId),
                new SetManifest(
                                forgedId,
                                oldManifest.repositoryId(),
                                oldManifest.created(),
                                "prod",
                                "other",
                                "x",
                                1,
                                oldManifest.buckets(),
                                oldManifest.tree())
                        .sign(foreign.getPrivate(), foreign.getPublic()));
        Entry oldEntry = f.reader().load(old.setId()).entries().get(0);
        for (int run = 0; run < 6; run++) {
            f.clock.advance(KEEP_ONE.grace().plusMinutes(1));
            new Pruner(f.reader(), f.clock).prune(KEEP_ONE, false);
        }
        assertThat(f.store.get(ObjectNames.set(old.setId())))
                .as("retention dropped the old set")
                .isEmpty();
        assertThat(f.store.get(oldEntry.objectName()))
                .as("the foreign set still names it")
                .isPresent();
    }

    // item 3: a signed entry is trusted only when its bundle holds the VM it names

    @Test
    void item3_anEntryPointingAtAnotherVmsBundleIsRefusedAndNamed() {
        RepoFixture f = RepoFixture.inMemory();
        VmSnapshot evil = RepoFixture.vm("kube-system", "evil", 1, "x");
        BackupResult r = f.backup(List.of(evil, RepoFixture.vm("lab", "db-02", 1, "db")));
        LoadedSet set = f.reader().load(r.setId());
        Entry evilEntry = set.entry(evil.key()).orElseThrow();
        Entry forged = new Entry(
                new VmRef("lab", "db-02"),
                evil.uid(),
                1,
                1,
                evilEntry.capturedAt(),
                evilEntry.bundle(),
                evilEntry.sha256(),
                evilEntry.size(),
                false,
                evilEntry.compressed());
        assertThatThrownBy(() -> f.reader().bundle(forged)).isInstanceOfSatisfying(VmConfigException.class, e -> {
            assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
            assertThat(e.getMessage()).contains("lab/db-02").contains("kube-system/evil");
        });
        Entry wrongGeneration = new Entry(
                evil.key(),
                evil.uid(),
                5,
                1,
                evilEntry.capturedAt(),
                evilEntry.bundle(),
                evilEntry.sha256(),
                evilEntry.size(),
                false,
                evilEntry.compressed());
        assertThatThrownBy(() -> f.reader().bundle(wrongGeneration)).hasMessageContaining("generation 5");

        // the signed set with the forged entry: verify names it, restore refuses that VM only
        byte[] sub = new SubManifest(0, List.of(forged)).toBytes();
        f.store.put(ObjectNames.manifest(Digest.sha256(sub)), sub);
        SetId id = SetId.next(f.clock.instant().plusSeconds(5), f.random);
        f.store.put(
                ObjectNames.set(id),
                new SetManifest(
                                id,
                                set.manifest().repositoryId(),
                                f.clock.instant(),
                                "prod",
                                "x",
                                "x",
                                1,
                                List.of(Optional.of(Digest.sha256(sub))))
                        .sign(f.signer.getPrivate(), f.signer.getPublic()));
        assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).problems())
                .anySatisfy(p -> assertThat(p.message()).contains("lab/db-02"));
        RepoRestoreInput input = RepoRestoreInput.read(f.reader(), f.reader().load(id), new AppliedRevisions(), false);
        assertThat(input.integrityFailure()).isTrue();
        assertThat(input.admitted()).isEmpty();
    }

    @Test
    void item3_theSealerRefusesAStagedEntryPointingAtAnotherVmsBundle() {
        RepoFixture f = RepoFixture.inMemory();
        Staging staging = new Staging(f.store, Optional.of(f.key), f.clock, f.random);
        StagedVm evil = staging.stage("velero-1", RepoFixture.vm("kube-system", "evil", 1, "x"));
        StagedVm honest = staging.stage("velero-1", RepoFixture.vm("lab", "db-02", 1, "db"));
        // a compromised plugin rewrites db-02's staged entry to point at evil's bundle
        StagedVm forged = new StagedVm(
                honest.key(),
                honest.uid(),
                honest.generation(),
                evil.bundle(),
                evil.sha256(),
                evil.size(),
                evil.encrypted(),
                evil.compressed(),
                honest.stagedAt());
        assertThatThrownBy(() -> f.writer(f.store).seal(List.of(evil, forged), "prod", "velero-1"))
                .isInstanceOfSatisfying(VmConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
                    assertThat(e.getMessage())
                            .contains("lab/db-02")
                            .contains("kube-system/evil")
                            .contains("not written");
                });
        assertThat(f.reader().sets()).isEmpty();
        assertThat(f.writer(f.store)
                        .seal(List.of(evil, honest), "prod", "velero-1")
                        .vmCount())
                .isEqualTo(2);

        // through a sealing pass: the poisoned run is refused and named, another run is still sealed
        staging.stage("velero-2", RepoFixture.vm("lab", "db-02", 1, "db"));
        f.store.put("staging/velero-2/vms/lab/db-02.json", forged.toBytes());
        staging.stage("velero-3", RepoFixture.vm("lab", "web", 1, "w"));
        io.vmconfig.core.velero.Sealer sealer = new io.vmconfig.core.velero.Sealer(
                f.reader(),
                staging,
                f.writer(f.store),
                run -> Optional.of(io.vmconfig.core.json.Json.object()
                        .set("status", io.vmconfig.core.json.Json.object().put("phase", "Completed"))),
                b -> List.of(),
                f.clock);
        staging.discard("velero-1");
        List<io.vmconfig.core.velero.SealOutcome> outcomes = sealer.sealOnce("prod");
        assertThat(outcomes)
                .extracting(io.vmconfig.core.velero.SealOutcome::action)
                .containsExactly(
                        io.vmconfig.core.velero.SealOutcome.Action.REFUSED,
                        io.vmconfig.core.velero.SealOutcome.Action.SEALED);
        assertThat(outcomes.get(0).reason()).contains("lab/db-02");
    }

    // item 5 (core part): verify reports stray files in sets/

    @Test
    void item5_verifyReportsStrayFilesInSets() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(List.of(RepoFixture.vm("lab", "a", 1, "x")));
        f.store.put("sets/README", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(new RepoVerifier(f.reader()).verify(Progress.NONE).problems())
                .extracting(Problem::object)
                .containsExactly("sets/README");
    }
}
