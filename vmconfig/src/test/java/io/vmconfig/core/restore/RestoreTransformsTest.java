package io.vmconfig.core.restore;

import static io.vmconfig.testing.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import io.vmconfig.testing.Fixtures;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RestoreTransformsTest {
    static ObjectNode web() {
        return ConfigOnlyFilter.filter(Fixtures.vm("harvester-web-01.yaml"), "f")
                .vm();
    }

    static ObjectNode db() {
        return ConfigOnlyFilter.filter(Fixtures.vm("kubevirt-db-02.yaml"), "f").vm();
    }

    static VolumeMap map(String body) {
        return VolumeMapTest.map(body);
    }

    @Test
    void haltSetsHaltedAndRemovesRunning() {
        ObjectNode vm = web();
        ((ObjectNode) vm.get("spec")).put("running", true);
        ObjectNode out = RestoreTransforms.HALT.apply(vm);
        assertThat(out.at("/spec/runStrategy").asText()).isEqualTo("Halted");
        assertThat(out.path("spec").has("running")).isFalse();
        assertThat(out.at("/metadata/annotations")
                        .path(Annotations.HARVESTER_RUN_STRATEGY)
                        .asText())
                .as("Harvester's saved strategy is kept")
                .isEqualTo("RerunOnFailure");
        assertThat(vm.at("/spec/runStrategy").asText()).isEqualTo("RerunOnFailure");
    }

    @Test
    void apiVersionBecomesV1() {
        ObjectNode vm = web().put("apiVersion", "kubevirt.io/v1alpha3");
        assertThat(RestoreTransforms.API_VERSION_V1.apply(vm).path("apiVersion").asText())
                .isEqualTo("kubevirt.io/v1");
    }

    @Test
    void remapsEveryClaimReferenceKind() {
        ObjectNode vm = yaml("""
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {name: vm, namespace: ns}
                spec:
                  template:
                    spec:
                      volumes:
                      - {name: a, persistentVolumeClaim: {claimName: pa, readOnly: true}}
                      - {name: b, dataVolume: {name: dv, hotpluggable: true}}
                      - {name: c, ephemeral: {persistentVolumeClaim: {claimName: pe}}}
                      - {name: d, memoryDump: {claimName: md}}
                      - {name: e, persistentVolumeClaim: {claimName: untouched}}
                """);
        ObjectNode out = RestoreTransforms.remapClaims(
                        Map.of("pa", "dr-pa", "dv", "dr-dv", "pe", "dr-pe", "md", "dr-md"))
                .apply(vm);
        assertThat(Json.compact(out.at("/spec/template/spec/volumes")))
                .isEqualTo("["
                        + "{\"name\":\"a\",\"persistentVolumeClaim\":{\"claimName\":\"dr-pa\",\"readOnly\":true}},"
                        + "{\"name\":\"b\",\"persistentVolumeClaim\":{\"claimName\":\"dr-dv\",\"hotpluggable\":true}},"
                        + "{\"name\":\"c\",\"ephemeral\":{\"persistentVolumeClaim\":{\"claimName\":\"dr-pe\"}}},"
                        + "{\"name\":\"d\",\"memoryDump\":{\"claimName\":\"dr-md\"}},"
                        + "{\"name\":\"e\",\"persistentVolumeClaim\":{\"claimName\":\"untouched\"}}]");
        assertThat(vm.at("/spec/template/spec/volumes/1").has("dataVolume")).isTrue();
    }

    @Test
    void dropsOnlyTheMappedDataVolumeTemplates() {
        ObjectNode out = RestoreTransforms.dropMappedDataVolumeTemplates(Map.of("db-02-root", "x"))
                .apply(db());
        assertThat(out.at("/spec/dataVolumeTemplates")).hasSize(1);
        assertThat(out.at("/spec/dataVolumeTemplates/0/metadata/name").asText()).isEqualTo("db-02-data");
        ObjectNode all = RestoreTransforms.dropMappedDataVolumeTemplates(Map.of("db-02-root", "x", "db-02-data", "y"))
                .apply(db());
        assertThat(all.path("spec").has("dataVolumeTemplates")).isFalse();
    }

    @Test
    void volumeClaimTemplatesAreDroppedWhenEverythingIsMapped() {
        ObjectNode out = RestoreTransforms.rewriteVolumeClaimTemplates(
                        Map.of("web-01-rootdisk-k7wq2", "r", "web-01-datadisk-p2x9c", "d"), c -> "sc", map(""))
                .apply(web());
        assertThat(out.at("/metadata/annotations").has(VolumeClaimTemplates.ANNOTATION))
                .isFalse();
    }

    @Test
    void volumeClaimTemplatesAreRewrittenWhenSomeStayUnmapped() {
        ObjectNode out = RestoreTransforms.rewriteVolumeClaimTemplates(
                        Map.of("web-01-rootdisk-k7wq2", "dr-root"),
                        c -> "dr-class",
                        map("namespaces: {prod-apps: dr-apps}\nstorageClasses: {harvester-longhorn: dr-lh}\n"))
                .apply(web());
        String text = out.at("/metadata/annotations")
                .path(VolumeClaimTemplates.ANNOTATION)
                .asText();
        assertThat(text)
                .isEqualTo("[{\"metadata\":{\"name\":\"dr-root\",\"annotations\":{\"harvesterhci.io/imageId\":"
                        + "\"dr-apps/image-r4n8d\"}},\"spec\":{\"accessModes\":[\"ReadWriteMany\"],\"resources\":{\"requests\":"
                        + "{\"storage\":\"40Gi\"}},\"volumeMode\":\"Block\",\"storageClassName\":\"dr-class\"}},"
                        + "{\"metadata\":{\"name\":\"web-01-datadisk-p2x9c\"},\"spec\":{\"accessModes\":[\"ReadWriteMany\"],"
                        + "\"resources\":{\"requests\":{\"storage\":\"100Gi\"}},\"volumeMode\":\"Block\","
                        + "\"storageClassName\":\"dr-lh\"}}]");
    }

    @Test
    void storageClassesOfKeptTemplatesAreMapped() {
        ObjectNode out = RestoreTransforms.mapStorageClasses(map("storageClasses: {ceph-block: dr-ceph}\n"))
                .apply(db());
        assertThat(out.at("/spec/dataVolumeTemplates/0/spec/storage/storageClassName")
                        .asText())
                .isEqualTo("dr-ceph");
        assertThat(out.at("/spec/dataVolumeTemplates/1/spec/storage/storageClassName")
                        .asText())
                .isEqualTo("dr-ceph");
    }

    @Test
    void networksAndClusterNetworkAffinityAreMapped() {
        ObjectNode out = RestoreTransforms.mapNetworks(
                        map("networks: {prod-apps/vlan-210: dr/vlan-9}\nclusterNetworks: {prod-net: dr-net}\n"))
                .apply(web());
        assertThat(out.at("/spec/template/spec/networks/0/multus/networkName").asText())
                .isEqualTo("dr/vlan-9");
        assertThat(out.at("/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
                                + "/nodeSelectorTerms/0/matchExpressions/0/key")
                        .asText())
                .isEqualTo("network.harvesterhci.io/dr-net");
        ObjectNode vm = web();
        assertThat(RestoreTransforms.mapNetworks(map("")).apply(vm)).isSameAs(vm);
    }

    @Test
    void namespaceMappingCoversNamespaceBearingStrings() {
        ObjectNode out = NamespaceTransforms.mapNamespace(map("namespaces: {prod-apps: dr-apps, os-images: dr-os}\n"))
                .apply(web());
        assertThat(out.at("/metadata/namespace").asText()).isEqualTo("dr-apps");
        assertThat(out.at("/spec/template/metadata/annotations")
                        .path(Annotations.HARVESTER_SSH_NAMES)
                        .asText())
                .isEqualTo("[\"dr-apps/ops-key\"]");
        ObjectNode dbOut = NamespaceTransforms.mapNamespace(map("namespaces: {os-images: dr-os}\n"))
                .apply(db());
        assertThat(dbOut.at("/spec/dataVolumeTemplates/0/spec/sourceRef/namespace")
                        .asText())
                .isEqualTo("dr-os");
        assertThat(dbOut.at("/metadata/namespace").asText()).isEqualTo("lab");
    }

    @Test
    void failoverKeepsIdentity() {
        ObjectNode vm = web();
        assertThat(IdentityTransforms.forMode(RestoreMode.FAILOVER, UUID::randomUUID)
                        .apply(vm))
                .isSameAs(vm);
    }

    @Test
    void copyClearsMacsIncludingHarvesterAnnotationAndSetsNewUuidAndSerial() {
        UUID fixed = UUID.fromString("11111111-2222-3333-4444-555555555555");
        ObjectNode out =
                IdentityTransforms.forMode(RestoreMode.COPY, () -> fixed).apply(db());
        assertThat(out.at("/spec/template/spec/domain/devices/interfaces/0").has("macAddress"))
                .isFalse();
        assertThat(out.at("/spec/template/spec/domain/firmware/uuid").asText()).isEqualTo(fixed.toString());
        assertThat(out.at("/spec/template/spec/domain/firmware/serial").asText())
                .isEqualTo("1111111122223333");
        ObjectNode webOut =
                IdentityTransforms.forMode(RestoreMode.COPY, () -> fixed).apply(web());
        assertThat(webOut.at("/metadata/annotations").has(Annotations.HARVESTER_MAC_ADDRESS))
                .isFalse();
        assertThat(webOut.at("/spec/template/spec/domain/firmware").has("serial"))
                .isFalse();
    }
}
