package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import of exported files and of Harvester templates into a cluster (fabric8 mock API server, CRUD mode). */
class ImportCommandTest {
    static final Path TARGET = Path.of("src/test/resources/import-target.yaml").toAbsolutePath();

    @TempDir
    Path tmp;

    String[] export(boolean asTemplate) {
        Path out = tmp.resolve(asTemplate ? "templates" : "export");
        Cli.Result r = asTemplate
                ? Cli.run("export", "--as-template", "--from", Fixtures.EXAMPLES.resolve("production").toString(),
                        "--out", out.toString())
                : Cli.run("export", "--from", Fixtures.EXAMPLES.resolve("production").toString(), "--out",
                        out.toString());
        assertThat(r.code()).isZero();
        return new String[] {"--from", out.toString()};
    }

    static String[] args(String[] from, EmbeddedKube k, String... more) {
        return java.util.stream.Stream.of(new String[] {"import"}, from, k.contextArgs(), more)
                .flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @Test
    void exportedVmsAreImportedOntoMappedVolumesOnceAndNeverOverwritten() {
        try (EmbeddedKube dr = EmbeddedKube.start("dr", tmp).seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"))) {
            dr.drainWrites();
            String map = "--map=" + Fixtures.EXAMPLES.resolve("volume-map.yaml");
            Cli.Result r = Cli.run(args(export(false), dr, map));
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("created");
            ObjectNode db = dr.cluster.get(KubeKind.VM, "lab-dr", "db-02").orElseThrow();
            assertThat(db.at("/spec/runStrategy").asText()).isEqualTo("Halted");
            assertThat(db.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText())
                    .isEqualTo("dr-db-02-root");
            assertThat(dr.cluster.get(KubeKind.SECRET, "lab-dr", "db-02-userdata")).isPresent();
            assertThat(dr.drainWrites()).isPositive();

            Cli.Result again = Cli.run(args(export(false), dr, map));
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.out()).contains("already exists: import never overwrites");
            assertThat(dr.drainWrites()).isZero();
        }
    }

    @Test
    void templatesAreImportedAsCopiesWithNewDisks() {
        try (EmbeddedKube test = EmbeddedKube.start("test", tmp).seed(TARGET)) {
            Cli.Result r = Cli.run(args(export(true), test, "--copy"));
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            ObjectNode web = test.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow();
            assertThat(web.at("/spec/runStrategy").asText()).isEqualTo("Halted");
            assertThat(web.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText())
                    .isEqualTo("web-01-rootdisk");
            assertThat(web.at("/metadata/annotations").path(VolumeClaimTemplates.ANNOTATION).asText())
                    .contains("\"name\":\"web-01-rootdisk\"").contains("\"storage\":\"40Gi\"");
            assertThat(web.at("/spec/template/spec/domain/devices/interfaces/0").has("macAddress")).isFalse();
            assertThat(web.at("/spec/template/spec/domain/firmware/uuid").asText()).isNotEqualTo(
                    "9c2e41d0-5a37-5b8e-a1f4-3d6b0c7e2f19");
            assertThat(test.cluster.get(KubeKind.SECRET, "prod-apps", "web-01-cloudinit-8fj2d")).isPresent();
        }
    }

    @Test
    void aCopyNeverLandsOnAnExistingDisk() {
        try (EmbeddedKube prod = EmbeddedKube.start("prod", tmp).seed(TARGET)) {
            io.vmconfig.adapters.files.KubeObjectReader.read(Fixtures.EXAMPLES.resolve("production")).stream()
                    .filter(o -> o.kind().equals("PersistentVolumeClaim"))
                    .forEach(o -> prod.create((ObjectNode) o.object()));
            Cli.Result r = Cli.run(args(export(false), prod, "--copy"));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("lab/db-02").contains("would reuse existing claim(s) [lab/db-02-root");
            assertThat(prod.cluster.get(KubeKind.VM, "lab", "db-02")).isEmpty();
        }
    }
}
