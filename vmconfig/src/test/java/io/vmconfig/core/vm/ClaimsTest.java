package io.vmconfig.core.vm;

import static io.vmconfig.testing.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClaimsTest {
    @Test
    void harvesterClaimsComeFromVolumeClaimTemplates() {
        List<ClaimRecord> claims = Claims.of(Fixtures.vm("harvester-web-01.yaml"));
        assertThat(claims)
                .containsExactly(
                        new ClaimRecord(
                                "rootdisk",
                                "web-01-rootdisk-k7wq2",
                                ClaimSource.PERSISTENT_VOLUME_CLAIM,
                                "40Gi",
                                "Block",
                                List.of("ReadWriteMany"),
                                "longhorn-image-r4n8d",
                                "prod-apps/image-r4n8d"),
                        new ClaimRecord(
                                "datadisk",
                                "web-01-datadisk-p2x9c",
                                ClaimSource.PERSISTENT_VOLUME_CLAIM,
                                "100Gi",
                                "Block",
                                List.of("ReadWriteMany"),
                                "harvester-longhorn",
                                null));
    }

    @Test
    void dataVolumeClaimsComeFromDataVolumeTemplates() {
        List<ClaimRecord> claims = Claims.of(Fixtures.vm("kubevirt-db-02.yaml"));
        assertThat(claims)
                .containsExactly(
                        new ClaimRecord(
                                "root", "db-02-root", ClaimSource.DATA_VOLUME, "30Gi", null, null, "ceph-block", null),
                        new ClaimRecord(
                                "data",
                                "db-02-data",
                                ClaimSource.DATA_VOLUME,
                                "200Gi",
                                "Block",
                                List.of("ReadWriteMany"),
                                "ceph-block",
                                null));
    }

    @Test
    void aPvcFillsWhatTheVmDoesNotSay() {
        ClaimRecord bare = new ClaimRecord("d", "c", ClaimSource.PERSISTENT_VOLUME_CLAIM, null, null, null, null, null);
        ClaimRecord full = Claims.withPvc(bare, yaml("""
                kind: PersistentVolumeClaim
                metadata: {name: c, namespace: ns, annotations: {harvesterhci.io/imageId: ns/img}}
                spec: {volumeMode: Block, storageClassName: sc, accessModes: [ReadWriteOnce]}
                status: {capacity: {storage: 10Gi}}
                """));
        assertThat(full)
                .isEqualTo(new ClaimRecord(
                        "d",
                        "c",
                        ClaimSource.PERSISTENT_VOLUME_CLAIM,
                        "10Gi",
                        "Block",
                        List.of("ReadWriteOnce"),
                        "sc",
                        "ns/img"));
    }

    @Test
    void everyClaimSourceAndTheBackendPvcAreFound() {
        List<ClaimUse> uses = Volumes.claimUses(yaml("""
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {name: tpm-vm, namespace: ns}
                spec:
                  template:
                    spec:
                      domain: {devices: {tpm: {persistent: true}}}
                      volumes:
                      - {name: a, persistentVolumeClaim: {claimName: pa}}
                      - {name: b, dataVolume: {name: dv}}
                      - {name: c, ephemeral: {persistentVolumeClaim: {claimName: pe}}}
                      - {name: d, memoryDump: {claimName: md}}
                      - {name: e, containerDisk: {image: i}}
                """));
        assertThat(uses)
                .containsExactly(
                        new ClaimUse("a", ClaimSource.PERSISTENT_VOLUME_CLAIM, "pa"),
                        new ClaimUse("b", ClaimSource.DATA_VOLUME, "dv"),
                        new ClaimUse("c", ClaimSource.EPHEMERAL, "pe"),
                        new ClaimUse("d", ClaimSource.MEMORY_DUMP, "md"),
                        new ClaimUse(null, ClaimSource.BACKEND_STORAGE, "persistent-state-for-tpm-vm"));
    }

    @Test
    void quantitiesCompareExactly() {
        assertThat(Quantity.parse("40Gi", "x")).isEqualByComparingTo("42949672960");
        assertThat(Quantity.parse("100G", "x")).isEqualByComparingTo("100000000000");
        assertThat(Quantity.parse("1.5Ti", "x")).isEqualByComparingTo("1649267441664");
        assertThat(Quantity.parse("1e3", "x")).isEqualByComparingTo("1000");
        assertThat(Quantity.parse("500m", "x")).isEqualByComparingTo("0.5");
        assertThat(Quantity.parse("2E", "x")).isEqualByComparingTo("2e18");
        assertThat(Quantity.parse("2E3", "x")).isEqualByComparingTo("2000");
        assertThat(Quantity.parse("1Ei", "x")).isEqualByComparingTo("1152921504606846976");
        assertThat(Quantity.parse("1e+3", "x")).isEqualByComparingTo("1000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Quantity.parse("1e37777777777", "big"))
                .hasMessageContaining("big");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Quantity.parse("1e400", "big"))
                .hasMessageContaining("out of range");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Quantity.parse("40 GB", "size of c"))
                .hasMessageContaining("size of c")
                .hasMessageContaining("'40 GB'");
    }

    /**
     * The annotation's JSON is built by hand (no bean introspection in the plugin): seeded random records, nulls
     * anywhere, give the tree Jackson's record serialisation gives, and read back as the same records.
     */
    @Test
    void theHandBuiltJsonIsJacksonsRecordSerialisation() {
        long seed = Long.getLong("claims.seed", 20261205L);
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 500; round++) {
            List<ClaimRecord> records = new ArrayList<>();
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                records.add(randomRecord(random));
            }
            assertThat(ClaimRecord.toJson(records))
                    .as("seed %d round %d", seed, round)
                    .isEqualTo(Json.mapper().valueToTree(records));
            assertThat(Json.mapper()
                            .convertValue(ClaimRecord.toJson(records), new TypeReference<List<ClaimRecord>>() {}))
                    .isEqualTo(records);
        }
    }

    private static ClaimRecord randomRecord(SplittableRandom r) {
        ClaimSource[] sources = ClaimSource.values();
        List<String> modes = null;
        if (r.nextBoolean()) {
            modes = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                modes.add(text(r));
            }
        }
        return new ClaimRecord(
                maybe(r),
                maybe(r),
                r.nextInt(5) == 0 ? null : sources[r.nextInt(sources.length)],
                maybe(r),
                maybe(r),
                modes,
                maybe(r),
                maybe(r));
    }

    private static String maybe(SplittableRandom r) {
        return r.nextInt(3) == 0 ? null : text(r);
    }

    private static String text(SplittableRandom r) {
        String alphabet = "abz-09/\"\u00e9\n";
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
