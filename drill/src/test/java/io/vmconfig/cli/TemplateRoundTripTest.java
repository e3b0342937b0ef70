package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export --as-template → import --templates (the Harvester objects themselves) → import from the template: the VM
 * made from it gets its image from the DataSource, never a blank root disk. Through the CLI into the strict mock.
 */
class TemplateRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void aVmMadeFromAnExportedTemplateKeepsItsImageSource() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(Fixtures.FIXTURES.resolve("kubevirt-db-02.yaml"), in.resolve("db-02.yaml"));
        Path templates = tmp.resolve("templates");
        assertThat(Cli.run("export", "--as-template", "--from", in.toString(), "--out", templates.toString())
                        .code())
                .isZero();
        try (EmbeddedKube k = EmbeddedKube.start("test", tmp).seed(ImportCommandTest.TARGET)) {
            String[] ctx = k.contextArgs();
            Cli.Result t = Cli.run(join(List.of("import", "--templates", "--from", templates.toString()), ctx));
            assertThat(t.code()).as(t.out() + t.err()).isZero();
            ObjectNode template =
                    k.cluster.get(KubeKind.VM_TEMPLATE, "lab", "db-02").orElseThrow();
            String versionId = template.at("/spec/defaultVersionId").asText();
            ObjectNode version = k.cluster
                    .get(KubeKind.VM_TEMPLATE_VERSION, "lab", versionId.substring(versionId.indexOf('/') + 1))
                    .orElseThrow();
            assertThat(version.at("/spec/vm/spec/dataVolumeTemplates/0/spec/sourceRef/name")
                            .asText())
                    .isEqualTo("fedora");

            Cli.Result again = Cli.run(join(List.of("import", "--templates", "--from", templates.toString()), ctx));
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.out()).contains("already exists: import never overwrites");

            Cli.Result vm = Cli.run(join(List.of("import", "--copy", "--from", templates.toString()), ctx));
            assertThat(vm.code()).as(vm.out() + vm.err()).isZero();
            ObjectNode created = k.cluster.get(KubeKind.VM, "lab", "db-02").orElseThrow();
            assertThat(created.at("/spec/runStrategy").asText()).isEqualTo("Halted");
            assertThat(created.at("/spec/dataVolumeTemplates/0/spec/sourceRef/name")
                            .asText())
                    .isEqualTo("fedora");
            String root =
                    created.at("/spec/template/spec/volumes/0/dataVolume/name").asText();
            assertThat(root)
                    .isEqualTo(created.at("/spec/dataVolumeTemplates/0/metadata/name")
                            .asText());
            Golden.assertMatches("kubevirt-db-02.template-round-trip.yaml", Yaml.write(stable(created)));
        }
    }

    /** The VM as stored, without what the server or the run's randomness set. */
    static ObjectNode stable(ObjectNode vm) {
        ObjectNode out = vm.deepCopy();
        ObjectNode meta = (ObjectNode) out.get("metadata");
        meta.remove(List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"));
        ((ObjectNode) out.at("/spec/template/spec/domain/firmware")).put("uuid", "(new)");
        ((ObjectNode) meta.path("annotations")).put(io.vmconfig.core.access.Audit.APPLIED_AT, "(write time)");
        return out;
    }

    static String[] join(List<String> a, String[] b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
