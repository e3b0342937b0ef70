package io.vmconfig.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.preflight.Reason;
import io.vmconfig.testing.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per KubeVirt admission rule (docs/transforms.md "Admission"): the reason code and the path of the field. */
class AdmissionTest {
    static final String VALID = """
            apiVersion: kubevirt.io/v1
            kind: VirtualMachine
            metadata: {name: vm, namespace: ns}
            spec:
              runStrategy: Always
              dataVolumeTemplates:
                - metadata: {name: vm-root}
                  spec: {sourceRef: {kind: DataSource, name: fedora}, storage: {resources: {requests: {storage: 1Gi}}}}
              template:
                spec:
                  domain:
                    devices:
                      disks:
                        - {name: root, bootOrder: 1, disk: {}}
                        - {name: data, disk: {}}
                        - {name: ci, disk: {}}
                      interfaces:
                        - {name: nic, bridge: {}, macAddress: "02:00:00:00:00:01", bootOrder: 2}
                  networks:
                    - {name: nic, pod: {}}
                  volumes:
                    - {name: root, dataVolume: {name: vm-root}}
                    - {name: data, persistentVolumeClaim: {claimName: vm-data}}
                    - {name: ci, cloudInitNoCloud: {userDataBase64: "I2Nsb3VkLWNvbmZpZwo=", networkData: "x"}}
            """;

    static ObjectNode vm() {
        return Fixtures.yaml(VALID);
    }

    static ObjectNode edit(String pointer, JsonNode value) {
        ObjectNode vm = vm();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = vm.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent.isArray()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), value);
        } else if (value == null) {
            ((ObjectNode) parent).remove(last);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return vm;
    }

    static JsonNode y(String yaml) {
        return Fixtures.yaml("v: " + yaml).get("v");
    }

    static Stream<Arguments> rules() {
        String vols = "/spec/template/spec/volumes";
        String dev = "/spec/template/spec/domain/devices";
        return Stream.of(
                Arguments.of(
                        "running and runStrategy",
                        edit("/spec/running", y("true")),
                        Reason.RUNNING_AND_RUN_STRATEGY,
                        "spec.running"),
                Arguments.of(
                        "unknown run strategy",
                        edit("/spec/runStrategy", y("Sometimes")),
                        Reason.INVALID_RUN_STRATEGY,
                        "spec.runStrategy"),
                Arguments.of(
                        "two volumes named data",
                        edit(vols + "/0", y("{name: data, persistentVolumeClaim: {claimName: other}}")),
                        Reason.DUPLICATE_NAME,
                        "spec.template.spec.volumes[1]"),
                Arguments.of(
                        "two disks of one name",
                        edit(dev + "/disks/2", y("{name: data, disk: {}}")),
                        Reason.DUPLICATE_NAME,
                        "spec.template.spec.domain.devices.disks[2]"),
                Arguments.of(
                        "two interfaces of one name",
                        edit(dev + "/interfaces", y("[{name: nic, bridge: {}}, {name: nic, bridge: {}}]")),
                        Reason.DUPLICATE_NAME,
                        "spec.template.spec.domain.devices.interfaces[1]"),
                Arguments.of(
                        "two networks of one name",
                        edit("/spec/template/spec/networks", y("[{name: nic, pod: {}}, {name: nic, pod: {}}]")),
                        Reason.DUPLICATE_NAME,
                        "spec.template.spec.networks[1]"),
                Arguments.of(
                        "disk without volume",
                        edit(dev + "/disks/1", y("{name: nodisk, disk: {}}")),
                        Reason.MISSING_VOLUME,
                        "spec.template.spec.domain.devices.disks[1]"),
                Arguments.of(
                        "filesystem without volume",
                        edit(dev + "/filesystems", y("[{name: fs, virtiofs: {}}]")),
                        Reason.MISSING_VOLUME,
                        "spec.template.spec.domain.devices.filesystems[0]"),
                Arguments.of(
                        "interface without network",
                        edit("/spec/template/spec/networks/0", y("{name: other, pod: {}}")),
                        Reason.MISSING_VOLUME,
                        "spec.template.spec.domain.devices.interfaces[0]"),
                Arguments.of(
                        "claimName missing",
                        edit(vols + "/1/persistentVolumeClaim", y("{}")),
                        Reason.INVALID_CLAIM_REFERENCE,
                        "spec.template.spec.volumes[1].persistentVolumeClaim.claimName"),
                Arguments.of(
                        "claimName empty",
                        edit(vols + "/1/persistentVolumeClaim/claimName", y("''")),
                        Reason.INVALID_CLAIM_REFERENCE,
                        "spec.template.spec.volumes[1].persistentVolumeClaim.claimName"),
                Arguments.of(
                        "claimName a YAML number",
                        edit(vols + "/1/persistentVolumeClaim/claimName", y("20260101")),
                        Reason.INVALID_CLAIM_REFERENCE,
                        "spec.template.spec.volumes[1].persistentVolumeClaim.claimName"),
                Arguments.of(
                        "dataVolume without name",
                        edit(vols + "/0/dataVolume", y("{}")),
                        Reason.INVALID_CLAIM_REFERENCE,
                        "spec.template.spec.volumes[0].dataVolume.name"),
                Arguments.of(
                        "ephemeral claim a number",
                        edit(vols + "/1", y("{name: data, ephemeral: {persistentVolumeClaim: {claimName: 7}}}")),
                        Reason.INVALID_CLAIM_REFERENCE,
                        "spec.template.spec.volumes[1].ephemeral.persistentVolumeClaim.claimName"),
                Arguments.of(
                        "two sources in a volume",
                        edit(vols + "/1/emptyDisk", y("{capacity: 1Gi}")),
                        Reason.VOLUME_SOURCE_COUNT,
                        "spec.template.spec.volumes[1]"),
                Arguments.of(
                        "no source in a volume",
                        edit(vols + "/1", y("{name: data}")),
                        Reason.VOLUME_SOURCE_COUNT,
                        "spec.template.spec.volumes[1]"),
                Arguments.of(
                        "two user-data sources",
                        edit(vols + "/2/cloudInitNoCloud/userData", y("'#cloud-config'")),
                        Reason.CLOUD_INIT_SOURCE_COUNT,
                        "spec.template.spec.volumes[2].cloudInitNoCloud"),
                Arguments.of(
                        "two network-data sources",
                        edit(vols + "/2/cloudInitNoCloud/networkDataSecretRef", y("{name: s}")),
                        Reason.CLOUD_INIT_SOURCE_COUNT,
                        "spec.template.spec.volumes[2].cloudInitNoCloud"),
                Arguments.of(
                        "no cloud-init data",
                        edit(vols + "/2/cloudInitNoCloud", y("{}")),
                        Reason.CLOUD_INIT_SOURCE_COUNT,
                        "spec.template.spec.volumes[2].cloudInitNoCloud"),
                Arguments.of(
                        "bad base64",
                        edit(vols + "/2/cloudInitNoCloud/userDataBase64", y("'not base64!'")),
                        Reason.INVALID_BASE64,
                        "spec.template.spec.volumes[2].cloudInitNoCloud.userDataBase64"),
                Arguments.of(
                        "bad MAC",
                        edit(dev + "/interfaces/0/macAddress", y("'02:00:00:00:00'")),
                        Reason.INVALID_MAC,
                        "spec.template.spec.domain.devices.interfaces[0].macAddress"),
                Arguments.of(
                        "unused dataVolumeTemplate",
                        edit(vols + "/0", y("{name: root, persistentVolumeClaim: {claimName: x}}")),
                        Reason.UNUSED_DATA_VOLUME_TEMPLATE,
                        "spec.dataVolumeTemplates[0]"),
                Arguments.of(
                        "boot order zero",
                        edit(dev + "/disks/1/bootOrder", y("0")),
                        Reason.INVALID_BOOT_ORDER,
                        "spec.template.spec.domain.devices.disks[1].bootOrder"),
                Arguments.of(
                        "boot order twice",
                        edit(dev + "/interfaces/0/bootOrder", y("1")),
                        Reason.INVALID_BOOT_ORDER,
                        "spec.template.spec.domain.devices.interfaces[0].bootOrder"));
    }

    @Test
    void theValidVmPasses() {
        assertThat(Admission.check(vm())).isEmpty();
    }

    @Test
    void theFixturesPass() {
        for (String f : List.of("harvester-web-01.yaml", "kubevirt-db-02.yaml", "plain-pvc.yaml")) {
            assertThat(Admission.check(Fixtures.vm(f))).as(f).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleNamesItsReasonAndPath(String rule, ObjectNode vm, Reason reason, String path) {
        List<Problem> problems = Admission.check(vm);
        assertThat(problems).as(rule).anySatisfy(p -> {
            assertThat(p.reason()).isEqualTo(reason);
            assertThat(p.path()).isEqualTo(path);
        });
    }

    @Test
    void tooManyVolumes() {
        ObjectNode vm = vm();
        var vols = Json.arrayAt(vm, "spec", "template", "spec", "volumes").orElseThrow();
        for (int i = 0; i < Admission.MAX_ENTRIES; i++) {
            vols.addObject().put("name", "e" + i).putObject("emptyDisk").put("capacity", "1Gi");
        }
        assertThat(Admission.check(vm)).anySatisfy(p -> {
            assertThat(p.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
            assertThat(p.path()).isEqualTo("spec.template.spec.volumes");
        });
    }

    @Test
    void aVolumeSourceNewerThanWeKnowIsConfigurationNotAnError() {
        ObjectNode vm = edit("/spec/template/spec/volumes/1", y("{name: data, someFutureSource: {x: 1}}"));
        assertThat(Admission.check(vm)).isEmpty();
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        ObjectNode vm = edit("/spec/running", y("true"));
        ((ObjectNode) vm.at("/spec/template/spec/volumes/1/persistentVolumeClaim")).put("claimName", "");
        assertThat(Admission.check(vm))
                .extracting(Problem::reason)
                .contains(Reason.RUNNING_AND_RUN_STRATEGY, Reason.INVALID_CLAIM_REFERENCE);
    }

    @Test
    void theCrdSchemaRefusesWrongTypesAndFieldsItWouldPrune() {
        StructuralSchema schema = StructuralSchema.fromCrd(io.vmconfig.adapters.embedded.EmbeddedKube.vmCrd(), "v1")
                .orElseThrow();
        assertThat(Admission.check(vm(), Optional.of(schema))).isEmpty();
        ObjectNode wrong = edit("/spec/template/spec/domain/devices/disks/0/bootOrder", y("'1'"));
        assertThat(Admission.check(wrong, Optional.of(schema))).anySatisfy(p -> {
            assertThat(p.reason()).isEqualTo(Reason.SCHEMA_WRONG_TYPE);
            assertThat(p.path()).isEqualTo("spec.template.spec.domain.devices.disks[0].bootOrder");
        });
        ObjectNode newer = edit("/spec/template/spec/domain/someFutureField", y("{on: true}"));
        assertThat(Admission.check(newer, Optional.of(schema))).anySatisfy(p -> {
            assertThat(p.reason()).isEqualTo(Reason.SCHEMA_UNKNOWN_FIELD);
            assertThat(p.path()).isEqualTo("spec.template.spec.domain.someFutureField");
        });
        // without the DR cluster's schema a newer field is configuration and is kept
        assertThat(Admission.check(newer)).isEmpty();
    }
}
