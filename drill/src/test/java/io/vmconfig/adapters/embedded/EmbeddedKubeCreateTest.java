package io.vmconfig.adapters.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeErrors;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test kit's create ({@link EmbeddedKube#create(KubeKind, ObjectNode)}): a create the server carried out but
 * whose answer the client did not get, sent again by the client's retry and answered 409, is the object created; a
 * 409 in any other case stays the error it is.
 */
class EmbeddedKubeCreateTest {
    @TempDir
    Path tmp;

    static ObjectNode configMap(String value) {
        return Fixtures.yaml(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: lab, name: cm}\ndata: {k: " + value + "}\n");
    }

    static java.util.function.Predicate<io.vmconfig.adapters.kube.ApiRequest> configMapCreates() {
        return Faults.verb("create", "configmaps");
    }

    @Test
    void aCreateRetriedByTheClientAfterALostAnswerIsTheObjectCreated() {
        try (EmbeddedKube k = EmbeddedKube.start("k", tmp)) {
            k.faults.loseAnswer(configMapCreates(), 1, 504);
            ObjectNode created = k.create(KubeKind.CONFIG_MAP, configMap("v"));
            assertThat(k.faults.pending()).as("the lost answer happened").isZero();
            assertThat(k.faults.creates("configmaps", "lab", "cm"))
                    .as("the client sent it twice")
                    .isEqualTo(2);
            assertThat(created.at("/data/k").asText()).isEqualTo("v");
            assertThat(k.cluster.get(KubeKind.CONFIG_MAP, "lab", "cm")).isPresent();
        }
    }

    @Test
    void anObjectThatWasThereBeforeIsStillAConflict() {
        try (EmbeddedKube k = EmbeddedKube.start("k", tmp)) {
            k.create(KubeKind.CONFIG_MAP, configMap("v"));
            // the same content, but created by an earlier call: this call sent one create, and it was refused
            assertThatThrownBy(() -> k.create(KubeKind.CONFIG_MAP, configMap("v")))
                    .isInstanceOf(VmConfigException.class)
                    .satisfies(e -> assertThat(KubeErrors.isConflict(e)).isTrue())
                    .hasMessageContaining("ConfigMap lab/cm");
        }
    }

    @Test
    void aRetriedCreateThatFindsOtherContentIsStillAConflict() {
        try (EmbeddedKube k = EmbeddedKube.start("k", tmp)) {
            k.create(KubeKind.CONFIG_MAP, configMap("theirs"));
            // the first attempt is refused by the store (it exists), its answer lost, and the client sends it again
            k.faults.loseAnswer(configMapCreates(), 1, 504);
            assertThatThrownBy(() -> k.create(KubeKind.CONFIG_MAP, configMap("ours")))
                    .isInstanceOf(VmConfigException.class)
                    .satisfies(e -> assertThat(KubeErrors.isConflict(e)).isTrue());
            assertThat(k.faults.creates("configmaps", "lab", "cm")).isEqualTo(3);
            assertThat(k.cluster
                            .get(KubeKind.CONFIG_MAP, "lab", "cm")
                            .orElseThrow()
                            .at("/data/k")
                            .asText())
                    .isEqualTo("theirs");
        }
    }
}
