package io.vmconfig.core.vm;

import static io.vmconfig.testing.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigOnlyFilterTest {
    @ParameterizedTest
    @ValueSource(strings = {"harvester-web-01", "kubevirt-db-02"})
    void fixturesMatchTheirGoldenFiles(String fixture) {
        ConfigOnlyVm c = ConfigOnlyFilter.filter(Fixtures.vm(fixture + ".yaml"), fixture);
        Golden.assertMatches(fixture + ".filtered.yaml", Yaml.write(c.vm()));
        ObjectNode side = Json.object();
        side.set("dependencies", Json.mapper().valueToTree(c.dependencies()));
        side.set("claims", Json.mapper().valueToTree(c.claims()));
        Golden.assertMatches(fixture + ".side-record.yaml", Yaml.write(side));
    }

    @ParameterizedTest
    @ValueSource(strings = {"harvester-web-01", "kubevirt-db-02"})
    void theFilterIsIdempotent(String fixture) {
        ObjectNode once =
                ConfigOnlyFilter.filter(Fixtures.vm(fixture + ".yaml"), fixture).vm();
        ConfigOnlyVm twice = ConfigOnlyFilter.filter(once, fixture);
        assertThat(twice.vm()).isEqualTo(once);
    }

    @Test
    void keepsSourceIdentityAside() {
        ConfigOnlyVm c = ConfigOnlyFilter.filter(Fixtures.vm("harvester-web-01.yaml"), "f");
        assertThat(c.ref()).isEqualTo(new VmRef("prod-apps", "web-01"));
        assertThat(c.uid()).isEqualTo("6f1d2c3a-9b7e-4c55-8a2d-0e41f7b9c3d1");
        assertThat(c.generation()).isEqualTo(7);
    }

    @Test
    void unknownAndFutureFieldsSurviveByteForByte() {
        ObjectNode vm = Fixtures.vm("kubevirt-db-02.yaml");
        ObjectNode future = Json.object().put("mode", "x").put("weird key/with.dots", 1.50);
        ((ObjectNode) vm.get("spec")).set("futureFeature", future);
        ((ObjectNode) vm.at("/spec/template/spec/domain"))
                .putArray("quantumDevices")
                .addObject()
                .put("qubits", 7);
        ((ObjectNode) vm.at("/metadata")).put("newMetaField", "keep me");
        ObjectNode out = ConfigOnlyFilter.filter(vm, "f").vm();
        assertThat(Json.compact(out.at("/spec/futureFeature"))).isEqualTo(Json.compact(future));
        assertThat(Json.compact(out.at("/spec/template/spec/domain/quantumDevices")))
                .isEqualTo("[{\"qubits\":7}]");
        assertThat(out.at("/metadata/newMetaField").asText()).isEqualTo("keep me");
        assertThat(Json.compact(out.at("/spec/template"))).isEqualTo(Json.compact(vm.at("/spec/template")));
    }

    @Test
    void acceptsV1alpha3AndConvertsRunning() {
        ConfigOnlyVm c = ConfigOnlyFilter.filter(yaml("""
                apiVersion: kubevirt.io/v1alpha3
                kind: VirtualMachine
                metadata: {name: old, namespace: ns}
                spec:
                  running: true
                  template: {spec: {domain: {devices: {}}}}
                """), "f");
        assertThat(c.vm().path("apiVersion").asText()).isEqualTo("kubevirt.io/v1alpha3");
        assertThat(c.vm().at("/spec/runStrategy").asText()).isEqualTo("Always");
        assertThat(c.vm().at("/metadata/annotations")
                        .path(Annotations.ORIGINAL_RUN_STRATEGY)
                        .asText())
                .isEqualTo("Always");
    }

    @Test
    void refusesUnknownApiVersionNamingTheObject() {
        ObjectNode vm = Fixtures.vm("kubevirt-db-02.yaml").put("apiVersion", "kubevirt.io/v2");
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(vm, "in.yaml#1"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("in.yaml#1")
                .hasMessageContaining("lab/db-02")
                .hasMessageContaining("kubevirt.io/v2")
                .satisfies(e ->
                        assertThat(((VmConfigException) e).kind()).isEqualTo(VmConfigException.Kind.INVALID_INPUT));
    }

    @Test
    void refusesAVmWithoutName() {
        ObjectNode vm = Fixtures.vm("kubevirt-db-02.yaml");
        ((ObjectNode) vm.get("metadata")).remove("name");
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(vm, "in.yaml#2"))
                .hasMessageContaining("in.yaml#2")
                .hasMessageContaining("metadata.name is missing");
    }

    @Test
    void refusesANameThatIsNotAKubernetesName() {
        ObjectNode vm = Fixtures.vm("kubevirt-db-02.yaml");
        ((ObjectNode) vm.get("metadata")).put("name", "../../etc/passwd");
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(vm, "x")).hasMessageContaining("not a valid Kubernetes name");
    }

    @Test
    void refusesVolumesThatAreNotAList() {
        ObjectNode vm = Fixtures.vm("kubevirt-db-02.yaml");
        ((ObjectNode) vm.at("/spec/template/spec")).put("volumes", "root");
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(vm, "in.yaml#1"))
                .hasMessageContaining("lab/db-02")
                .hasMessageContaining("spec.template.spec.volumes must be a list");
    }

    @Test
    void refusesMoreVolumesThanKubevirtAccepts() {
        ObjectNode vm = Fixtures.vm("kubevirt-db-02.yaml");
        ArrayNode vols = ((ObjectNode) vm.at("/spec/template/spec")).putArray("volumes");
        for (int i = 0; i < 2000; i++) {
            vols.addObject()
                    .put("name", "v" + i)
                    .putObject("persistentVolumeClaim")
                    .put("claimName", "c" + i);
        }
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(vm, "big.yaml#1"))
                .hasMessageContaining("big.yaml#1")
                .hasMessageContaining("lab/db-02")
                .hasMessageContaining("2000 entries")
                .hasMessageContaining("256");
    }

    @Test
    void refusesMissingFieldsWithTheirNames() {
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(
                        yaml("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\n"
                                + "metadata: {name: a, namespace: b}\n"),
                        "f"))
                .hasMessageContaining("b/a: spec is missing");
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(
                        yaml("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\n" + "metadata: {name: a}\nspec: {}\n"),
                        "f"))
                .hasMessageContaining("metadata.namespace is missing");
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(
                        yaml("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\n"
                                + "metadata: {name: a, namespace: b, annotations: {x: 1}}\nspec: {}\n"),
                        "f"))
                .hasMessageContaining("metadata.annotations 'x' must be a string");
        assertThatThrownBy(() -> ConfigOnlyFilter.filter(
                        yaml("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\n"
                                + "metadata: {name: a, namespace: b, annotations: {harvesterhci.io/volumeClaimTemplates: '{bad'}}\n"
                                + "spec: {template: {spec: {}}}\n"),
                        "f"))
                .hasMessageContaining("harvesterhci.io/volumeClaimTemplates")
                .hasMessageContaining("b/a");
    }
}
