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
                ? Cli.run(
                        "export",
                        "--as-template",
                        "--from",
                        Fixtures.EXAMPLES.resolve("production").toString(),
                        "--out",
                        out.toString())
                : Cli.run(
                        "export",
                        "--from",
                        Fixtures.EXAMPLES.resolve("production").toString(),
                        "--out",
                        out.toString());
        assertThat(r.code()).isZero();
        return new String[] {"--from", out.toString()};
    }

    static String[] args(String[] from, EmbeddedKube k, String... more) {
        return java.util.stream.Stream.of(new String[] {"import"}, from, k.contextArgs(), more)
                .flatMap(java.util.Arrays::stream)
                .toArray(String[]::new);
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
            assertThat(db.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName")
                            .asText())
                    .isEqualTo("dr-db-02-root");
            assertThat(dr.cluster.get(KubeKind.SECRET, "lab-dr", "db-02-userdata"))
                    .isPresent();
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
            ObjectNode web =
                    test.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow();
            assertThat(web.at("/spec/runStrategy").asText()).isEqualTo("Halted");
            String root = web.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName")
                    .asText();
            assertThat(root).startsWith("web-01-rootdisk-").isNotEqualTo("web-01-rootdisk");
            assertThat(web.at("/metadata/annotations")
                            .path(VolumeClaimTemplates.ANNOTATION)
                            .asText())
                    .contains("\"name\":\"" + root + "\"")
                    .contains("\"storage\":\"40Gi\"");
            ObjectNode disk = test.cluster.get(KubeKind.PVC, "prod-apps", root).orElseThrow();
            assertThat(disk.at("/metadata/labels/vmconfig.io~1created-by").asText())
                    .isEqualTo("vmconfig");
            assertThat(disk.at("/spec/resources/requests/storage").asText()).isEqualTo("40Gi");
            assertThat(web.at("/spec/template/spec/domain/devices/interfaces/0").has("macAddress"))
                    .isFalse();
            assertThat(web.at("/spec/template/spec/domain/firmware/uuid").asText())
                    .isNotEqualTo("9c2e41d0-5a37-5b8e-a1f4-3d6b0c7e2f19");
            assertThat(test.cluster.get(KubeKind.SECRET, "prod-apps", "web-01-cloudinit-8fj2d"))
                    .isPresent();
        }
    }

    @Test
    void aCopyNeverLandsOnAnExistingDiskItCreatesItsOwn() {
        try (EmbeddedKube prod = EmbeddedKube.start("prod", tmp).seed(TARGET)) {
            List<String> existing =
                    io.vmconfig.adapters.files.KubeObjectReader.read(Fixtures.EXAMPLES.resolve("production")).stream()
                            .filter(o -> o.kind().equals("PersistentVolumeClaim"))
                            .peek(o -> prod.create((ObjectNode) o.object()))
                            .map(o -> o.namespace() + "/" + o.name())
                            .toList();
            Cli.Result r = Cli.run(args(export(false), prod, "--copy"));
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            ObjectNode db = prod.cluster.get(KubeKind.VM, "lab", "db-02").orElseThrow();
            for (var v : db.at("/spec/template/spec/volumes")) {
                String claim = v.at("/persistentVolumeClaim/claimName")
                        .asText(v.at("/dataVolume/name").asText());
                if (!claim.isEmpty()) {
                    assertThat(existing).doesNotContain("lab/" + claim);
                }
            }
            for (var t : db.at("/spec/dataVolumeTemplates")) {
                assertThat(existing)
                        .doesNotContain("lab/" + t.at("/metadata/name").asText());
                assertThat(t.at("/metadata/labels/vmconfig.io~1created-by").asText())
                        .isEqualTo("vmconfig");
            }
            assertThat(db.at("/spec/dataVolumeTemplates/0/spec/sourceRef/name").asText())
                    .isEqualTo("fedora");
        }
    }

    @Test
    void aCopyRefusesAnExistingDiskOfItsNameThatItDidNotCreate() {
        try (EmbeddedKube prod = EmbeddedKube.start("prod", tmp).seed(TARGET)) {
            ObjectNode pvc = Fixtures.yaml("""
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata: {name: NAME, namespace: prod-apps}
                    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                    """);
            for (String name : List.of(
                    "web-01-datadisk",
                    io.vmconfig.core.restore.NewClaims.alternative(
                            new io.vmconfig.core.vm.VmRef("prod-apps", "web-01"), "datadisk"))) {
                ObjectNode p = pvc.deepCopy();
                ((ObjectNode) p.get("metadata")).put("name", name);
                prod.create(p);
            }
            Cli.Result r = Cli.run(args(export(false), prod, "--copy"));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(5);
            assertThat(r.out()).contains("FOREIGN_CLAIM").contains("prod-apps/web-01");
            assertThat(prod.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isEmpty();
        }
    }
}
