package io.vmconfig.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HarvesterTemplateTest {
    @ParameterizedTest
    @ValueSource(strings = {"harvester-web-01", "kubevirt-db-02"})
    void fixturesMatchTheirGoldenFiles(String fixture) {
        List<ObjectNode> docs =
                HarvesterTemplate.of(ConfigOnlyFilter.filter(Fixtures.vm(fixture + ".yaml"), fixture), List.of());
        Golden.assertMatches(fixture + ".template.yaml", Yaml.writeAll(docs));
    }

    @Test
    void aTemplateHasNoIdentityAndKeepsEachDisksSource() {
        List<VmResult> r =
                ExportBatch.run(Fixtures.objects("kubevirt-db-02.yaml"), ExportBatch.Form.HARVESTER_TEMPLATE);
        List<ObjectNode> docs = r.get(0).documents();
        assertThat(docs)
                .extracting(d -> d.path("kind").asText())
                .startsWith(HarvesterTemplate.TEMPLATE, HarvesterTemplate.VERSION);
        ObjectNode template = docs.get(0);
        ObjectNode version = docs.get(1);
        assertThat(template.at("/spec/defaultVersionId").asText())
                .isEqualTo("lab/" + version.at("/metadata/name").asText());
        assertThat(version.at("/spec/templateId").asText()).isEqualTo("lab/db-02");
        JsonNode spec = version.at("/spec/vm/spec");
        assertThat(spec.at("/template/spec/domain/devices/interfaces/0").has("macAddress"))
                .isFalse();
        assertThat(spec.at("/template/spec/domain").has("firmware")).isFalse();
        assertThat(spec.at("/instancetype").has("revisionName")).isFalse();
        // the root disk's image comes from its DataSource: a VM made from the template boots it, not a blank disk
        assertThat(spec.at("/dataVolumeTemplates/0/metadata/name").asText()).isEqualTo("db-02-root");
        assertThat(spec.at("/dataVolumeTemplates/0/spec/sourceRef/name").asText())
                .isEqualTo("fedora");
        assertThat(spec.at("/dataVolumeTemplates/0/spec/sourceRef/namespace").asText())
                .isEqualTo("os-images");
        assertThat(spec.at("/dataVolumeTemplates/1/spec/storage/resources/requests/storage")
                        .asText())
                .isEqualTo("200Gi");
        assertThat(spec.at("/template/spec/volumes/0/dataVolume/name").asText()).isEqualTo("db-02-root");
        assertThat(version.at("/spec/vm/metadata/annotations").has(VolumeClaimTemplates.ANNOTATION))
                .isFalse();
    }

    @Test
    void harvesterKeyPairsAndImagesAreCarried() {
        List<ObjectNode> docs =
                HarvesterTemplate.of(ConfigOnlyFilter.filter(Fixtures.vm("harvester-web-01.yaml"), "f"), List.of());
        ObjectNode version = docs.get(1);
        assertThat(version.at("/spec/keyPairIds/0").asText()).isEqualTo("prod-apps/ops-key");
        assertThat(version.at("/spec/vm/metadata/annotations").has("harvesterhci.io/mac-address"))
                .isFalse();
        assertThat(version.at("/spec/vm/metadata/annotations")
                        .path(VolumeClaimTemplates.ANNOTATION)
                        .asText())
                .contains("\"name\":\"web-01-rootdisk\"")
                .contains("prod-apps/image-r4n8d");
        assertThat(version.at("/spec/description").asText()).isEqualTo("frontend web node (fixture)");
    }
}
