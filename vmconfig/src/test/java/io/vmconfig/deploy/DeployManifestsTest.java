package io.vmconfig.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.app.Main;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manifests under deploy/ stay in step with the code: every vmconfig container's arguments parse with the real
 * command line, and the VolumeMaps they ship parse strictly.
 */
class DeployManifestsTest {
    static List<JsonNode> containers(List<SourcedObject> objects) {
        List<JsonNode> out = new ArrayList<>();
        for (SourcedObject o : objects) {
            JsonNode spec = o.object().at("/spec/template/spec");
            if (o.kind().equals("CronJob")) {
                spec = o.object().at("/spec/jobTemplate/spec/template/spec");
            }
            spec.path("containers").forEach(out::add);
        }
        return out;
    }

    @Test
    void everyVmconfigContainerHasArgumentsTheCliAccepts() {
        List<JsonNode> vmconfig = containers(KubeObjectReader.read(Fixtures.DEPLOY)).stream()
                .filter(c -> c.path("image").asText().contains("/vmconfig:"))
                .toList();
        assertThat(vmconfig).extracting(c -> c.path("args").get(0).asText()).contains("sync", "backup", "seal");
        for (JsonNode c : vmconfig) {
            List<String> args = new ArrayList<>();
            c.path("args").forEach(a -> args.add(a.asText()));
            assertThatCode(() -> Main.runner()
                            .commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                            .parseArgs(args.toArray(String[]::new)))
                    .as("container %s args %s", c.path("name").asText(), args)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theShippedVolumeMapsParse() {
        assertThatCode(() -> VolumeMap.parse(Fixtures.read(Fixtures.DEPLOY.resolve("dr/volume-map.yaml")), "deploy/dr"))
                .doesNotThrowAnyException();
        for (SourcedObject o : KubeObjectReader.read(Fixtures.DEPLOY.resolve("velero"))) {
            JsonNode map = o.object().path("data").path("volume-map.yaml");
            if (map.isTextual()) {
                assertThatCode(() -> VolumeMap.parse(map.asText(), o.origin())).doesNotThrowAnyException();
            }
        }
    }
}
