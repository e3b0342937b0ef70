package io.vmconfig.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.RestoreOutcome;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every pre-flight reason, driven through the DR restore on the fixtures. */
class PreflightTest {
    static final VolumeMap MAP = VolumeMap.parse("""
            apiVersion: vmconfig.io/v1
            kind: VolumeMap
            rules: [{prefix: "dr-"}]
            storageClasses: {ceph-block: replica}
            """, "map");

    static final String GOOD = """
            - {kind: PersistentVolumeClaim, metadata: {name: dr-db-02-root, namespace: lab},
               spec: {volumeMode: Filesystem, storageClassName: replica}, status: {phase: Bound, capacity: {storage: 30Gi}}}
            - {kind: PersistentVolumeClaim, metadata: {name: dr-db-02-data, namespace: lab},
               spec: {volumeMode: Block}, status: {phase: Bound, capacity: {storage: 200Gi}}}
            - {kind: NetworkAttachmentDefinition, metadata: {name: storage-vlan40, namespace: lab}}
            - {kind: StorageClass, metadata: {name: replica}}
            - {kind: VirtualMachineClusterInstancetype, metadata: {name: u1.medium}}
            - {kind: VirtualMachineClusterPreference, metadata: {name: fedora}}
            """;

    static List<JsonNode> objects(String yamlList) {
        List<JsonNode> out = new ArrayList<>();
        Yaml.parseAll(yamlList, "inv").get(0).forEach(out::add);
        return out;
    }

    static RestoreOutcome restore(String inventory, String fixture) {
        ConfigOnlyVm src = ConfigOnlyFilter.filter(Fixtures.vm(fixture), fixture);
        return new DrRestore(MAP, UUID::randomUUID)
                .restore(src, Optional.of(DrInventory.of(objects(inventory))), Map.of());
    }

    static List<Problem> problems(String inventory) {
        RestoreOutcome out = restore(inventory, "kubevirt-db-02.yaml");
        assertThat(out).isInstanceOf(RestoreOutcome.Blocked.class);
        return ((RestoreOutcome.Blocked) out).problems();
    }

    @Test
    void aCompleteInventoryIsReady() {
        assertThat(restore(GOOD, "kubevirt-db-02.yaml")).isInstanceOf(RestoreOutcome.Restored.class);
    }

    @Test
    void missingPvc() {
        assertThat(problems(GOOD.replace("name: dr-db-02-data", "name: other")))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.reason()).isEqualTo(Reason.PVC_MISSING);
                    assertThat(p.message()).contains("db-02-data").contains("lab/dr-db-02-data");
                });
    }

    @Test
    void pvcNotBound() {
        assertThat(problems(
                        GOOD.replace("status: {phase: Bound, capacity: {storage: 200Gi}}", "status: {phase: Pending}")))
                .extracting(Problem::reason)
                .containsExactly(Reason.PVC_NOT_BOUND);
    }

    @Test
    void pvcTooSmall() {
        assertThat(problems(GOOD.replace("storage: 200Gi", "storage: 199Gi")))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.reason()).isEqualTo(Reason.PVC_TOO_SMALL);
                    assertThat(p.message()).contains("199Gi").contains("200Gi");
                });
    }

    @Test
    void volumeModeMismatch() {
        assertThat(problems(GOOD.replace("spec: {volumeMode: Block}", "spec: {volumeMode: Filesystem}")))
                .extracting(Problem::reason)
                .containsExactly(Reason.VOLUME_MODE_MISMATCH);
        assertThat(problems(GOOD.replace("spec: {volumeMode: Block}", "spec: {}")))
                .as("no volumeMode means Filesystem")
                .extracting(Problem::reason)
                .containsExactly(Reason.VOLUME_MODE_MISMATCH);
    }

    @Test
    void pvcInUseByAnotherVm() {
        String other = GOOD + """
                - {apiVersion: kubevirt.io/v1, kind: VirtualMachine, metadata: {name: squatter, namespace: lab},
                   spec: {template: {spec: {volumes: [{name: x, persistentVolumeClaim: {claimName: dr-db-02-data}}]}}}}
                """;
        assertThat(problems(other)).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(Reason.PVC_IN_USE);
            assertThat(p.message()).contains("lab/squatter");
        });
        String self = other.replace("name: squatter", "name: db-02");
        assertThat(restore(self, "kubevirt-db-02.yaml"))
                .as("the DR copy of the same VM may use it")
                .isInstanceOf(RestoreOutcome.Restored.class);
    }

    @Test
    void missingNad() {
        assertThat(problems(GOOD.replace("name: storage-vlan40", "name: other")))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.reason()).isEqualTo(Reason.NAD_MISSING);
                    assertThat(p.message()).contains("lab/storage-vlan40");
                });
    }

    @Test
    void missingInstancetypeAndPreference() {
        assertThat(problems(GOOD.replace("name: u1.medium", "name: x").replace("name: fedora", "name: y")))
                .extracting(Problem::reason)
                .containsExactly(Reason.INSTANCETYPE_MISSING, Reason.PREFERENCE_MISSING);
    }

    @Test
    void missingStorageClassOfAKeptTemplate() {
        VolumeMap createEmpty = VolumeMap.parse(
                "apiVersion: vmconfig.io/v1\nkind: VolumeMap\nunmapped: create-empty\n"
                        + "claims: {lab/db-02-root: dr-db-02-root}\n",
                "map");
        ConfigOnlyVm src = ConfigOnlyFilter.filter(Fixtures.vm("kubevirt-db-02.yaml"), "f");
        RestoreOutcome out = new DrRestore(createEmpty, UUID::randomUUID)
                .restore(src, Optional.of(DrInventory.of(objects(GOOD))), Map.of());
        assertThat(((RestoreOutcome.Blocked) out).problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(Reason.STORAGE_CLASS_MISSING);
            assertThat(p.message()).contains("ceph-block");
        });
    }

    @Test
    void missingBackendPvcForPersistentTpm() {
        ConfigOnlyVm src = ConfigOnlyFilter.filter(Fixtures.vm("kubevirt-db-02.yaml"), "f");
        ((com.fasterxml.jackson.databind.node.ObjectNode) src.vm().at("/spec/template/spec/domain/devices"))
                .putObject("tpm")
                .put("persistent", true);
        ConfigOnlyVm tpm = ConfigOnlyFilter.filter(src.vm(), "f");
        DrInventory inv = DrInventory.of(objects(GOOD));
        RestoreOutcome out = new DrRestore(MAP, UUID::randomUUID).restore(tpm, Optional.of(inv), Map.of());
        assertThat(((RestoreOutcome.Blocked) out).problems())
                .extracting(Problem::reason)
                .containsExactly(Reason.BACKEND_PVC_MISSING);
        DrInventory withBackend = DrInventory.of(objects(GOOD + "- {kind: PersistentVolumeClaim, metadata: "
                + "{name: any-name, namespace: lab, labels: {persistent-state-for: db-02}}}\n"));
        assertThat(new DrRestore(MAP, UUID::randomUUID).restore(tpm, Optional.of(withBackend), Map.of()))
                .isInstanceOf(RestoreOutcome.Restored.class);
    }

    @Test
    void everyReasonIsReportedTogether() {
        String bad = GOOD.replace("name: storage-vlan40", "name: x")
                .replace("storage: 200Gi", "storage: 1Gi")
                .replace("status: {phase: Bound, capacity: {storage: 30Gi}}", "status: {phase: Lost}");
        assertThat(problems(bad))
                .extracting(Problem::reason)
                .containsExactly(Reason.PVC_NOT_BOUND, Reason.PVC_TOO_SMALL, Reason.NAD_MISSING);
    }

    @Test
    void anInvalidMappedNameBlocks() {
        VolumeMap upper =
                VolumeMap.parse("apiVersion: vmconfig.io/v1\nkind: VolumeMap\nrules: [{prefix: 'DR_'}]\n", "m");
        ConfigOnlyVm src = ConfigOnlyFilter.filter(Fixtures.vm("kubevirt-db-02.yaml"), "f");
        RestoreOutcome out = new DrRestore(upper, UUID::randomUUID).restore(src, Optional.empty(), Map.of());
        assertThat(((RestoreOutcome.Blocked) out).problems())
                .extracting(Problem::reason)
                .containsOnly(Reason.INVALID_MAPPED_NAME);
    }
}
