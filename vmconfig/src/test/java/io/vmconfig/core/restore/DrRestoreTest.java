package io.vmconfig.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.preflight.Reason;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.Golden;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DrRestoreTest {
    static final String MAP = """
            namespaces: {lab: lab-dr}
            claims: {prod-apps/web-01-rootdisk-k7wq2: dr-web-01-root}
            rules:
              - {regex: "^(.*)-datadisk-.*$", replace: "dr-$1-data"}
              - {prefix: "dr-"}
            storageClasses: {harvester-longhorn: replica-block, ceph-block: replica-block}
            networks: {prod-apps/vlan-210: prod-apps/dr-vlan-210}
            clusterNetworks: {prod-net: dr-net}
            """;

    static Supplier<UUID> counting() {
        AtomicLong n = new AtomicLong();
        return () -> new UUID(0x1234L, n.incrementAndGet());
    }

    static ConfigOnlyVm source(String fixture) {
        return ConfigOnlyFilter.filter(Fixtures.vm(fixture + ".yaml"), fixture);
    }

    @ParameterizedTest
    @CsvSource({"harvester-web-01,failover", "harvester-web-01,copy", "kubevirt-db-02,failover", "kubevirt-db-02,copy"})
    void fixturesMatchTheirGoldenFiles(String fixture, String mode) {
        VolumeMap map = VolumeMapTest.map(MAP).withMode(RestoreMode.parse(mode, "test"));
        RestoreOutcome out = new DrRestore(map, counting()).restore(source(fixture), Optional.empty(), Map.of());
        assertThat(out).isInstanceOf(RestoreOutcome.Restored.class);
        Golden.assertMatches(fixture + ".restored-" + mode + ".yaml", Yaml.write(((RestoreOutcome.Restored) out).vm()));
    }

    @Test
    void anUnmappedClaimBlocksTheVmNamingTheClaim() {
        VolumeMap map = VolumeMapTest.map("claims: {lab/db-02-root: dr-root}\n");
        RestoreOutcome out = new DrRestore(map, UUID::randomUUID).restore(source("kubevirt-db-02"), Optional.empty(),
                Map.of());
        assertThat(out).isInstanceOfSatisfying(RestoreOutcome.Blocked.class, b -> {
            assertThat(b.problems()).hasSize(1);
            assertThat(b.problems().get(0).reason()).isEqualTo(Reason.UNMAPPED_CLAIM);
            assertThat(b.problems().get(0).message()).contains("lab/db-02-data").contains("volume data");
        });
    }

    @Test
    void createEmptyKeepsTheTemplatesOfUnmappedClaims() {
        VolumeMap map = VolumeMapTest.map("unmapped: create-empty\nclaims: {lab/db-02-root: dr-root}\n"
                + "storageClasses: {ceph-block: test-class}\n");
        RestoreOutcome out = new DrRestore(map, UUID::randomUUID).restore(source("kubevirt-db-02"), Optional.empty(),
                Map.of());
        assertThat(out).isInstanceOfSatisfying(RestoreOutcome.Restored.class, r -> {
            assertThat(r.vm().at("/spec/dataVolumeTemplates")).hasSize(1);
            assertThat(r.vm().at("/spec/dataVolumeTemplates/0/metadata/name").asText()).isEqualTo("db-02-data");
            assertThat(r.vm().at("/spec/dataVolumeTemplates/0/spec/storage/storageClassName").asText())
                    .isEqualTo("test-class");
            assertThat(r.vm().at("/spec/template/spec/volumes/1/dataVolume/name").asText()).isEqualTo("db-02-data");
            assertThat(r.vm().at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText())
                    .isEqualTo("dr-root");
            assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("db-02-data").contains("new empty disk"));
        });
    }

    @Test
    void createEmptyKeepsUnmappedHarvesterTemplates() {
        VolumeMap map = VolumeMapTest.map("unmapped: create-empty\nclaims: {prod-apps/web-01-rootdisk-k7wq2: r}\n");
        RestoreOutcome.Restored r = (RestoreOutcome.Restored) new DrRestore(map, UUID::randomUUID)
                .restore(source("harvester-web-01"), Optional.empty(), Map.of());
        assertThat(r.vm().at("/metadata/annotations").path(VolumeClaimTemplates.ANNOTATION).asText())
                .contains("\"name\":\"r\"").contains("web-01-datadisk-p2x9c");
    }

    @Test
    void traceabilityNamesTheSourceAndTheCallersFields() {
        RestoreOutcome.Restored r = (RestoreOutcome.Restored) new DrRestore(VolumeMapTest.map(MAP), UUID::randomUUID)
                .restore(source("kubevirt-db-02"), Optional.empty(), Map.of("vmconfig.io/set", "s-1"));
        var a = r.vm().at("/metadata/annotations");
        assertThat(a.path(Annotations.SOURCE_NAMESPACE).asText()).isEqualTo("lab");
        assertThat(a.path(Annotations.SOURCE_NAME).asText()).isEqualTo("db-02");
        assertThat(a.path(Annotations.SOURCE_UID).asText()).isEqualTo("0e9b7c2d-13f4-4a8e-9d61-7b2c5a0f8e33");
        assertThat(a.path(Annotations.SOURCE_GENERATION).asText()).isEqualTo("3");
        assertThat(a.path(Annotations.RESTORE_MODE).asText()).isEqualTo("failover");
        assertThat(a.path(Annotations.CLAIM_MAP).asText()).isEqualTo("{\"db-02-data\":\"dr-db-02-data\","
                + "\"db-02-root\":\"dr-db-02-root\"}");
        assertThat(a.path("vmconfig.io/set").asText()).isEqualTo("s-1");
        assertThat(r.vm().at("/metadata/labels").path(Annotations.MANAGED_LABEL).asText()).isEqualTo("true");
        assertThat(r.target().toString()).isEqualTo("lab-dr/db-02");
    }
}
