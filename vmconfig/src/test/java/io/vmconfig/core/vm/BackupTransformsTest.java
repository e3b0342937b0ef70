package io.vmconfig.core.vm;

import static io.vmconfig.testing.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupTransformsTest {
    private static final String BASE = """
            apiVersion: kubevirt.io/v1
            kind: VirtualMachine
            metadata: {name: vm, namespace: ns}
            spec:
              template: {spec: {domain: {devices: {}}}}
            """;

    @Test
    void convertsRunningTrueToAlwaysInPlace() {
        ObjectNode vm = yaml(BASE.replace("spec:\n", "spec:\n  running: true\n  fooFuture: 1\n"));
        ObjectNode out = BackupTransforms.CONVERT_RUNNING_TO_RUN_STRATEGY.apply(vm);
        assertThat(out.path("spec").has("running")).isFalse();
        assertThat(out.path("spec").path("runStrategy").asText()).isEqualTo("Always");
        assertThat(fieldNames(out.path("spec"))).containsExactly("runStrategy", "fooFuture", "template");
        assertThat(vm.path("spec").path("running").asBoolean())
                .as("input untouched")
                .isTrue();
    }

    @Test
    void convertsRunningFalseToHalted() {
        ObjectNode out = BackupTransforms.CONVERT_RUNNING_TO_RUN_STRATEGY.apply(
                yaml(BASE.replace("spec:\n", "spec:\n  running: false\n")));
        assertThat(out.path("spec").path("runStrategy").asText()).isEqualTo("Halted");
    }

    @Test
    void keepsRunStrategyWhenBothAreSet() {
        ObjectNode out = BackupTransforms.CONVERT_RUNNING_TO_RUN_STRATEGY.apply(
                yaml(BASE.replace("spec:\n", "spec:\n  running: true\n  runStrategy: Manual\n")));
        assertThat(out.path("spec").path("runStrategy").asText()).isEqualTo("Manual");
        assertThat(out.path("spec").has("running")).isFalse();
    }

    @Test
    void withoutRunningTheVmIsReturnedAsIs() {
        ObjectNode vm = yaml(BASE);
        assertThat(BackupTransforms.CONVERT_RUNNING_TO_RUN_STRATEGY.apply(vm)).isSameAs(vm);
    }

    @Test
    void recordsTheOriginalRunStrategy() {
        ObjectNode out = BackupTransforms.RECORD_ORIGINAL_RUN_STRATEGY.apply(
                yaml(BASE.replace("spec:\n", "spec:\n  runStrategy: RerunOnFailure\n")));
        assertThat(out.at("/metadata/annotations")
                        .path(Annotations.ORIGINAL_RUN_STRATEGY)
                        .asText())
                .isEqualTo("RerunOnFailure");
    }

    @Test
    void aHaltedVmconfigCopyKeepsTheRecordedStrategy() {
        ObjectNode vm = yaml(BASE.replace(
                        "metadata: {name: vm, namespace: ns}",
                        "metadata: {name: vm, namespace: ns,"
                                + " annotations: {vmconfig.io/original-run-strategy: Always, vmconfig.io/source-uid: u1}}")
                .replace("spec:\n", "spec:\n  runStrategy: Halted\n"));
        assertThat(BackupTransforms.RECORD_ORIGINAL_RUN_STRATEGY.apply(vm)).isSameAs(vm);
    }

    @Test
    void aProductionVmThatChangedStrategyIsRecordedAnew() {
        ObjectNode vm = yaml(BASE.replace(
                        "metadata: {name: vm, namespace: ns}",
                        "metadata: {name: vm, namespace: ns,"
                                + " annotations: {vmconfig.io/original-run-strategy: Always}}")
                .replace("spec:\n", "spec:\n  runStrategy: Manual\n"));
        assertThat(BackupTransforms.RECORD_ORIGINAL_RUN_STRATEGY
                        .apply(vm)
                        .at("/metadata/annotations")
                        .path(Annotations.ORIGINAL_RUN_STRATEGY)
                        .asText())
                .isEqualTo("Manual");
    }

    @Test
    void copiesRevisionNamesFromStatusIntoSpec() {
        ObjectNode vm = Fixtures.vm("kubevirt-db-02.yaml");
        ((ObjectNode) vm.at("/spec/instancetype")).remove("revisionName");
        ((ObjectNode) vm.at("/spec/preference")).remove("revisionName");
        ObjectNode out = BackupTransforms.COPY_REVISION_NAMES_TO_SPEC.apply(vm);
        assertThat(out.at("/spec/instancetype/revisionName").asText()).isEqualTo("db-02-u1.medium-4c7f1a9e-1");
        assertThat(out.at("/spec/preference/revisionName").asText()).isEqualTo("db-02-fedora-8b2d6e03-1");
        assertThat(vm.at("/spec/instancetype").has("revisionName")).isFalse();
    }

    @Test
    void aRevisionNameInSpecWins() {
        ObjectNode vm = Fixtures.vm("kubevirt-db-02.yaml");
        ((ObjectNode) vm.at("/spec/instancetype")).put("revisionName", "pinned");
        assertThat(BackupTransforms.COPY_REVISION_NAMES_TO_SPEC
                        .apply(vm)
                        .at("/spec/instancetype/revisionName")
                        .asText())
                .isEqualTo("pinned");
    }

    @Test
    void dropsStatus() {
        ObjectNode vm = Fixtures.vm("harvester-web-01.yaml");
        assertThat(BackupTransforms.DROP_STATUS.apply(vm).has("status")).isFalse();
        assertThat(vm.has("status")).isTrue();
    }

    @Test
    void dropsRuntimeMetadataAndFinalizers() {
        ObjectNode out = BackupTransforms.DROP_RUNTIME_METADATA.apply(Fixtures.vm("harvester-web-01.yaml"));
        assertThat(fieldNames(out.path("metadata"))).containsExactly("annotations", "labels", "name", "namespace");
    }

    @Test
    void dropsBookkeepingAnnotationsAndLabelsOnly() {
        ObjectNode vm = yaml(BASE.replace("metadata: {name: vm, namespace: ns}", """
                metadata:
                  name: vm
                  namespace: ns
                  labels: {velero.io/restore-name: r1, app: web}
                  annotations:
                    kubevirt.io/latest-observed-api-version: v1
                    kubevirt.io/storage-observed-api-version: v1
                    kubevirt.io/restore-run-strategy: Always
                    restore.kubevirt.io/lastRestoreUID: x
                    restore.harvesterhci.io/name: y
                    restore.harvesterhci.io/last-restore-uid: z
                    kubectl.kubernetes.io/last-applied-configuration: '{}'
                    harvesterhci.io/removedPersistentVolumeClaims: web-01-rootdisk
                    harvesterhci.io/reservedMemory: 256Mi
                """));
        ObjectNode out = BackupTransforms.DROP_BOOKKEEPING.apply(vm);
        assertThat(fieldNames(out.at("/metadata/annotations"))).containsExactly("harvesterhci.io/reservedMemory");
        assertThat(fieldNames(out.at("/metadata/labels"))).containsExactly("app");
    }

    @Test
    void emptiedMapsAreRemoved() {
        ObjectNode vm = yaml(BASE.replace(
                "metadata: {name: vm, namespace: ns}",
                "metadata: {name: vm, namespace: ns, labels: {velero.io/backup-name: b}}"));
        assertThat(BackupTransforms.DROP_BOOKKEEPING.apply(vm).path("metadata").has("labels"))
                .isFalse();
    }

    @Test
    void normalizesVolumeClaimTemplates() {
        ObjectNode out = BackupTransforms.NORMALIZE_VOLUME_CLAIM_TEMPLATES.apply(Fixtures.vm("harvester-web-01.yaml"));
        String text = out.at("/metadata/annotations")
                .path(VolumeClaimTemplates.ANNOTATION)
                .asText();
        assertThat(text)
                .doesNotContain("creationTimestamp")
                .doesNotContain("status")
                .contains("\"harvesterhci.io/imageId\":\"prod-apps/image-r4n8d\"");
        assertThat(Json.parse(text, "t").size()).isEqualTo(2);
        assertThat(BackupTransforms.NORMALIZE_VOLUME_CLAIM_TEMPLATES.apply(out))
                .as("idempotent")
                .isSameAs(out);
    }

    @Test
    void everyTransformLeavesItsInputUntouched() {
        for (String f : List.of("harvester-web-01.yaml", "kubevirt-db-02.yaml")) {
            ObjectNode vm = Fixtures.vm(f);
            ObjectNode before = vm.deepCopy();
            BackupTransforms.ALL.forEach(t -> t.apply(vm));
            assertThat(vm).isEqualTo(before);
        }
    }

    static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
