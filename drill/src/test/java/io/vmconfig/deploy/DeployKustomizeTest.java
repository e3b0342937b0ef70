package io.vmconfig.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.core.batch.SourcedObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kustomization under deploy/ renders with the real {@code kubectl kustomize}, and what it renders keeps the
 * deployment promises: no Secret (placeholders would overwrite real ones), Pod Security "restricted" and probes on
 * every long-running vmconfig pod, a PodDisruptionBudget for sync, a Schedule that selects only VMs and carries both
 * config-only labels.
 */
class DeployKustomizeTest {
    @TempDir
    Path tmp;

    static List<Path> kustomizations() throws IOException {
        try (Stream<Path> s = Files.walk(io.vmconfig.testing.Fixtures.ROOT.resolve("deploy"))) {
            return s.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(p -> !p.toString().contains("components")) // components render through the overlay
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        }
    }

    List<SourcedObject> render(Path dir) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                .redirectErrorStream(false)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("kubectl kustomize %s: %s", dir, err).isZero();
        Path file = tmp.resolve(dir.toString().replace('/', '_') + ".yaml");
        Files.write(file, out);
        return KubeObjectReader.readFile(file);
    }

    static boolean kubectl() {
        try {
            return new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void everyKustomizationRendersWithoutSecretsAndWithRestrictedProbedPods() throws Exception {
        assertThat(kubectl())
                .as("kubectl is needed to render deploy/ (apt-get install kubernetes-client)")
                .isTrue();
        List<Path> dirs = kustomizations();
        assertThat(dirs)
                .extracting(d -> io.vmconfig.testing.Fixtures.ROOT.relativize(d).toString())
                .contains("deploy/dr", "deploy/source", "deploy/source/sealer", "deploy/overlays/dr-full");
        List<String> kinds = new ArrayList<>();
        for (Path dir : dirs) {
            List<SourcedObject> objects = render(dir);
            assertThat(objects).as(dir.toString()).isNotEmpty();
            for (SourcedObject o : objects) {
                kinds.add(o.kind());
                assertThat(o.kind()).as("%s renders a Secret", dir).isNotEqualTo("Secret");
                assertThat(o.object().toString()).as(dir.toString()).doesNotContain("REPLACE");
                if (o.kind().equals("Deployment")) {
                    restrictedAndProbed(o.object().at("/spec/template/spec"), dir + " " + o.origin());
                }
                if (o.kind().equals("CronJob")) {
                    restricted(o.object().at("/spec/jobTemplate/spec/template/spec"), dir.toString());
                }
            }
            if (dir.endsWith("dr")) {
                assertThat(objects)
                        .filteredOn(o -> o.kind().equals("CustomResourceDefinition"))
                        .extracting(o -> o.object().at("/metadata/name").asText())
                        .as("deploy/dr includes deploy/crds")
                        .containsExactlyInAnyOrder(
                                "volumemaps.vmconfig.io",
                                "configsyncs.vmconfig.io",
                                "configrestores.vmconfig.io",
                                "repositorygrants.vmconfig.io");
                // the controller runs from the ConfigSync object, not flags: repository, map and keys are its spec
                assertThat(objects)
                        .filteredOn(o -> o.kind().equals("Deployment"))
                        .singleElement()
                        .satisfies(o -> assertThat(o.object()
                                        .at("/spec/template/spec/containers/0/args")
                                        .toString())
                                .contains("\"--all-config-syncs\"")
                                .doesNotContain("--repo", "--map", "--key", "--verify-key", "--prune-deleted"));
                assertThat(objects)
                        .filteredOn(o -> o.kind().equals("ConfigSync"))
                        .singleElement()
                        .satisfies(o -> assertThat(
                                        o.object().at("/spec/volumeMapRef/name").asText())
                                .isEqualTo("dr"));
                assertThat(objects)
                        .filteredOn(o -> o.kind().equals("VolumeMap"))
                        .extracting(o -> o.object().at("/metadata/name").asText())
                        .containsExactly("dr");
                assertThat(objects).anySatisfy(o -> {
                    assertThat(o.kind()).isEqualTo("PodDisruptionBudget");
                    assertThat(o.object()
                                    .at("/spec/selector/matchLabels/app.kubernetes.io~1name")
                                    .asText())
                            .isEqualTo("vmconfig-sync");
                });
            }
            if (dir.endsWith("dr-full")) {
                assertThat(objects).extracting(SourcedObject::kind).contains("ServiceMonitor", "PrometheusRule");
                assertThat(objects)
                        .filteredOn(o -> o.kind().equals("ConfigSync"))
                        .singleElement()
                        .satisfies(o -> assertThat(
                                        o.object().at("/spec/pruneDeleted").asBoolean())
                                .as("prune-deleted component")
                                .isTrue());
                assertThat(objects.toString()).contains("--config-restores", "vmconfig-configrestore-edit");
            }
        }
        assertThat(kinds).contains("Deployment", "CronJob", "PodDisruptionBudget");
    }

    static void restrictedAndProbed(JsonNode pod, String what) {
        restricted(pod, what);
        for (JsonNode c : pod.path("containers")) {
            assertThat(c.at("/livenessProbe/httpGet/path").asText()).as(what).isEqualTo("/healthz");
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).as(what).isEqualTo("/readyz");
        }
    }

    /** Pod Security Standard "restricted", as the admission controller checks it. */
    static void restricted(JsonNode pod, String what) {
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(what).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText())
                .as(what)
                .isEqualTo("RuntimeDefault");
        for (JsonNode c : pod.path("containers")) {
            JsonNode sc = c.path("securityContext");
            assertThat(sc.path("allowPrivilegeEscalation").isBoolean()
                            && !sc.path("allowPrivilegeEscalation").asBoolean())
                    .as(what + " allowPrivilegeEscalation")
                    .isTrue();
            assertThat(sc.at("/capabilities/drop").toString()).as(what).contains("\"ALL\"");
            assertThat(sc.path("privileged").asBoolean(false)).as(what).isFalse();
        }
        for (JsonNode v : pod.path("volumes")) {
            assertThat(v.has("hostPath")).as(what + " hostPath").isFalse();
        }
    }

    @Test
    void theConfigOnlyScheduleSelectsOnlyVmsAndCarriesBothLabels() {
        JsonNode schedule = KubeObjectReader.readFile(
                        io.vmconfig.testing.Fixtures.ROOT.resolve("deploy/velero/schedule-config-only.yaml"))
                .get(0)
                .object();
        assertThat(schedule.at("/spec/template/includedResources").toString())
                .isEqualTo("[\"virtualmachines.kubevirt.io\"]");
        JsonNode labels = schedule.at("/spec/template/metadata/labels");
        assertThat(labels.path("vmconfig.io/config-only").asText()).isEqualTo("true");
        assertThat(labels.path("velero.kubevirt.io/metadataBackup").asText()).isEqualTo("true");
        assertThat(schedule.at("/spec/template/snapshotVolumes").asBoolean(true))
                .isFalse();
        assertThat(schedule.at("/spec/template/defaultVolumesToFsBackup").asBoolean(true))
                .isFalse();
    }

    @Test
    void noManifestUnderDeployIsASecret() {
        assertThat(KubeObjectReader.read(io.vmconfig.testing.Fixtures.ROOT.resolve("deploy")))
                .extracting(SourcedObject::kind)
                .doesNotContain("Secret");
    }
}
