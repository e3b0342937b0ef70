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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Copy mode: explicit pairs only (rules would attach the copy to disks it does not own), new disks for the rest. */
    static final String COPY_MAP = """
            mode: copy
            unmapped: create-empty
            namespaces: {lab: lab-dr}
            claims: {prod-apps/web-01-rootdisk-k7wq2: dr-web-01-root}
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
        VolumeMap map = mode.equals("copy") ? VolumeMapTest.map(COPY_MAP) : VolumeMapTest.map(MAP);
        RestoreOutcome out = new DrRestore(map, counting()).restore(source(fixture), Optional.empty(), Map.of());
        assertThat(out).as(out.toString()).isInstanceOf(RestoreOutcome.Restored.class);
        RestoreOutcome.Restored r = (RestoreOutcome.Restored) out;
        java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> docs = new java.util.ArrayList<>(r.newClaims());
        docs.add(r.vm());
        Golden.assertMatches(fixture + ".restored-" + mode + ".yaml", Yaml.writeAll(docs));
    }

    @Test
    void aCopyOnAPlainPvcCreatesItsOwnEmptyDiskBeforeTheVm() {
        ConfigOnlyVm c = source("plain-pvc");
        ConfigOnlyVm withSizes = new ConfigOnlyVm(
                c.ref(),
                c.uid(),
                c.generation(),
                c.vm(),
                c.dependencies(),
                c.claims().stream()
                        .map(r -> io.vmconfig.core.vm.Claims.withPvc(r, pvc()))
                        .toList());
        RestoreOutcome out =
                new DrRestore(VolumeMapTest.map(COPY_MAP), counting()).restore(withSizes, Optional.empty(), Map.of());
        assertThat(out).as(out.toString()).isInstanceOf(RestoreOutcome.Restored.class);
        RestoreOutcome.Restored r = (RestoreOutcome.Restored) out;
        assertThat(r.newClaims()).hasSize(1);
        String created = r.newClaims().get(0).at("/metadata/name").asText();
        assertThat(created).isNotEqualTo("app-03-disk").startsWith("app-03-root");
        assertThat(r.vm().at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName")
                        .asText())
                .isEqualTo(created);
        java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> docs = new java.util.ArrayList<>(r.newClaims());
        docs.add(r.vm());
        Golden.assertMatches("plain-pvc.restored-copy.yaml", Yaml.writeAll(docs));
    }

    static com.fasterxml.jackson.databind.node.ObjectNode pvc() {
        return (com.fasterxml.jackson.databind.node.ObjectNode) Fixtures.objects("plain-pvc.yaml").stream()
                .filter(o -> o.kind().equals("PersistentVolumeClaim"))
                .findFirst()
                .orElseThrow()
                .object();
    }

    @Test
    void aNewDiskNeedsItsStorageClassOnDr() {
        ConfigOnlyVm c = source("plain-pvc");
        ConfigOnlyVm withSizes = new ConfigOnlyVm(
                c.ref(),
                c.uid(),
                c.generation(),
                c.vm(),
                c.dependencies(),
                c.claims().stream()
                        .map(r -> io.vmconfig.core.vm.Claims.withPvc(r, pvc()))
                        .toList());
        RestoreOutcome out = new DrRestore(VolumeMapTest.map(COPY_MAP), counting())
                .restore(
                        withSizes,
                        Optional.of(io.vmconfig.core.preflight.DrInventory.of(java.util.List.of())),
                        Map.of());
        assertThat(out)
                .isInstanceOfSatisfying(
                        RestoreOutcome.Blocked.class,
                        b -> assertThat(b.problems()).anySatisfy(p -> {
                            assertThat(p.reason()).isEqualTo(Reason.STORAGE_CLASS_MISSING);
                            assertThat(p.message())
                                    .contains("new disk lab-dr/app-03-root")
                                    .contains("replica-block");
                        }));
    }

    @Test
    void aCopyRefusesARuleMappedClaimItDoesNotOwn() {
        VolumeMap map = VolumeMapTest.map(MAP).withMode(RestoreMode.COPY);
        RestoreOutcome out =
                new DrRestore(map, counting()).restore(source("kubevirt-db-02"), Optional.empty(), Map.of());
        assertThat(out).isInstanceOfSatisfying(RestoreOutcome.Blocked.class, b -> {
            assertThat(b.refused()).isTrue();
            assertThat(b.problems()).extracting(p -> p.reason()).containsOnly(Reason.FOREIGN_CLAIM);
            assertThat(b.problems().get(0).message()).contains("dr-db-02-root").contains("rules[1]");
        });
    }

    @Test
    void aCopyNeverTakesAnExistingPvcsNameAndRefusesOneThatIsNotItsOwn() {
        String foreign = """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: NAME, namespace: prod-apps}
                spec: {resources: {requests: {storage: 1Gi}}}
                status: {phase: Bound}
                """;
        var first = io.vmconfig.core.preflight.DrInventory.of(
                java.util.List.of(Fixtures.yaml(foreign.replace("NAME", "web-01-datadisk"))));
        RestoreOutcome.Blocked b1 = (RestoreOutcome.Blocked) new DrRestore(VolumeMapTest.map(COPY_MAP), counting())
                .restore(source("harvester-web-01"), Optional.of(first), Map.of());
        // the derived name is taken by a disk vmconfig did not create: another name, never that disk
        assertThat(b1.problems()).noneMatch(p -> p.reason() == Reason.FOREIGN_CLAIM);
        String alternative = NewClaims.alternative(new io.vmconfig.core.vm.VmRef("prod-apps", "web-01"), "datadisk");
        var both = io.vmconfig.core.preflight.DrInventory.of(java.util.List.of(
                Fixtures.yaml(foreign.replace("NAME", "web-01-datadisk")),
                Fixtures.yaml(foreign.replace("NAME", alternative))));
        RestoreOutcome out = new DrRestore(VolumeMapTest.map(COPY_MAP), counting())
                .restore(source("harvester-web-01"), Optional.of(both), Map.of());
        assertThat(out).isInstanceOfSatisfying(RestoreOutcome.Blocked.class, b -> {
            assertThat(b.refused()).isTrue();
            assertThat(b.problems()).anySatisfy(p -> {
                assertThat(p.reason()).isEqualTo(Reason.FOREIGN_CLAIM);
                assertThat(p.message()).contains("prod-apps/" + alternative).contains("not created by vmconfig");
            });
        });
    }

    @Test
    void anUnmappedClaimBlocksTheVmNamingTheClaim() {
        VolumeMap map = VolumeMapTest.map("claims: {lab/db-02-root: dr-root}\n");
        RestoreOutcome out =
                new DrRestore(map, UUID::randomUUID).restore(source("kubevirt-db-02"), Optional.empty(), Map.of());
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
        RestoreOutcome out =
                new DrRestore(map, UUID::randomUUID).restore(source("kubevirt-db-02"), Optional.empty(), Map.of());
        assertThat(out).isInstanceOfSatisfying(RestoreOutcome.Restored.class, r -> {
            assertThat(r.vm().at("/spec/dataVolumeTemplates")).hasSize(1);
            String disk = r.vm().at("/spec/dataVolumeTemplates/0/metadata/name").asText();
            assertThat(disk).startsWith("db-02-data-"); // never the source claim's name
            assertThat(r.vm().at("/spec/dataVolumeTemplates/0/spec/storage/storageClassName")
                            .asText())
                    .isEqualTo("test-class");
            assertThat(r.vm().at("/spec/template/spec/volumes/1/dataVolume/name")
                            .asText())
                    .isEqualTo(disk);
            assertThat(r.vm().at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName")
                            .asText())
                    .isEqualTo("dr-root");
            assertThat(r.notes())
                    .anySatisfy(n -> assertThat(n).contains("db-02-data").contains("new empty disk"));
        });
    }

    @Test
    void createEmptyKeepsUnmappedHarvesterTemplates() {
        VolumeMap map = VolumeMapTest.map("unmapped: create-empty\nclaims: {prod-apps/web-01-rootdisk-k7wq2: r}\n");
        RestoreOutcome.Restored r = (RestoreOutcome.Restored)
                new DrRestore(map, UUID::randomUUID).restore(source("harvester-web-01"), Optional.empty(), Map.of());
        assertThat(r.vm().at("/metadata/annotations")
                        .path(VolumeClaimTemplates.ANNOTATION)
                        .asText())
                .contains("\"name\":\"r\"")
                .contains("\"name\":\"web-01-datadisk\"")
                .doesNotContain("web-01-datadisk-p2x9c");
        assertThat(r.newClaims()).singleElement().satisfies(p -> {
            assertThat(p.at("/metadata/name").asText()).isEqualTo("web-01-datadisk");
            assertThat(p.at("/metadata/labels/vmconfig.io~1created-by").asText())
                    .isEqualTo("vmconfig");
            assertThat(p.at("/spec/resources/requests/storage").asText()).isEqualTo("100Gi");
            assertThat(p.at("/spec/volumeMode").asText()).isEqualTo("Block");
        });
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
        assertThat(a.path(Annotations.CLAIM_MAP).asText())
                .isEqualTo("{\"db-02-data\":\"dr-db-02-data\"," + "\"db-02-root\":\"dr-db-02-root\"}");
        assertThat(a.path("vmconfig.io/set").asText()).isEqualTo("s-1");
        assertThat(r.vm().at("/metadata/labels").path(Annotations.MANAGED_LABEL).asText())
                .isEqualTo("true");
        assertThat(r.target().toString()).isEqualTo("lab-dr/db-02");
    }
}
