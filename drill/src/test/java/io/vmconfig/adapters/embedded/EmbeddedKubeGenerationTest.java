package io.vmconfig.adapters.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test kit's API server owns {@code metadata.generation} as kube-apiserver does (registry/rest BeforeCreate and
 * BeforeUpdate, the custom resource strategy's PrepareForUpdate): 1 on create; on update the value a client sends is
 * ignored, and it is the old one plus 1 when anything outside metadata (and, with a status subresource, outside
 * status) changed, else the old one; a write through the status subresource never changes it.
 */
class EmbeddedKubeGenerationTest {
    @TempDir
    Path tmp;

    private static long generation(EmbeddedKube k) {
        return k.cluster
                .get(KubeKind.VM, "prod-apps", "web-01")
                .orElseThrow()
                .at("/metadata/generation")
                .asLong(-1);
    }

    private static ObjectNode vm(EmbeddedKube k) {
        return k.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow();
    }

    @Test
    void aSpecChangeRaisesTheGenerationAndNothingElseDoes() {
        try (EmbeddedKube k = EmbeddedKube.start("k", tmp).seed(Fixtures.EXAMPLES.resolve("production"))) {
            assertThat(generation(k)).as("created").isEqualTo(1);

            ObjectNode spec = vm(k);
            Json.ensureObject(spec, "spec", "template", "spec", "domain", "cpu").put("cores", 9);
            k.cluster.update(KubeKind.VM, spec);
            assertThat(generation(k)).as("spec changed").isEqualTo(2);

            k.cluster.update(KubeKind.VM, vm(k));
            assertThat(generation(k)).as("an update that changes nothing").isEqualTo(2);

            ObjectNode labels = vm(k);
            Json.ensureObject(labels, "metadata", "labels").put("team", "web");
            k.cluster.update(KubeKind.VM, labels);
            assertThat(generation(k)).as("metadata only").isEqualTo(2);

            ObjectNode status = vm(k);
            status.putObject("status").put("printableStatus", "Running");
            k.cluster.updateStatus(KubeKind.VM, status);
            assertThat(generation(k)).as("status subresource write").isEqualTo(2);
            assertThat(vm(k).at("/status/printableStatus").asText()).isEqualTo("Running");

            ObjectNode sent = vm(k);
            ((ObjectNode) sent.get("metadata")).put("generation", 40);
            Json.ensureObject(sent, "spec", "template", "spec", "domain", "cpu").put("cores", 10);
            k.cluster.update(KubeKind.VM, sent);
            assertThat(generation(k))
                    .as("the generation a client sends is not kept")
                    .isEqualTo(3);

            ObjectNode bumped = vm(k);
            ((ObjectNode) bumped.get("metadata")).put("generation", 41);
            k.cluster.update(KubeKind.VM, bumped);
            assertThat(generation(k))
                    .as("a client's generation alone is no change (kube-apiserver resets it to the stored one)")
                    .isEqualTo(3);
        }
    }
}
