package io.vmconfig.adapters.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.Faults;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.velero.VmBundles.Wanted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vm-backup's batch read of a VM's dependencies (KubePluginConfig.objects): all sent at once, answered in order, a
 * failure classified and named. Run on the plugin's own reads ({@link PluginReads}, {@link OwnPluginReadsTest}) and
 * on fabric8's client alone ({@link Fabric8PluginReadsTest}, what VMCONFIG_PLUGIN_READS=fabric8 selects).
 */
abstract class PluginBatchReadContract {
    /** True: the plugin's own reads first, fabric8's client for what they do not answer. */
    abstract boolean ownReads();

    @TempDir
    Path tmp;

    EmbeddedKube kube;
    KubePluginConfig config;

    @BeforeEach
    void start() {
        kube = EmbeddedKube.start("batch", tmp);
        for (String name : List.of("a", "b", "c", "d", "e")) {
            kube.cluster.create(KubeKind.SECRET, (ObjectNode) Json.parse(
                    "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name
                            + "\",\"namespace\":\"prod\"},\"data\":{\"k\":\"" + name + "\"}}",
                    "secret"));
        }
        // the plugin's own connection (KubeCluster.fromEnvironment's), on the embedded server's kubeconfig
        config = new KubePluginConfig(
                () -> KubeCluster.forPlugin(pluginConfig(kube), "the Velero cluster", ownReads()), "velero");
    }

    static io.fabric8.kubernetes.client.Config pluginConfig(EmbeddedKube kube) {
        return io.fabric8.kubernetes.client.Config.fromKubeconfig(null, kube.kubeconfig.toFile());
    }

    /**
     * The plugin's connection runs the HTTP client's stages on its selector thread: a 5xx retried by fabric8, a lost
     * answer of a write retried and answered 409, and a batch whose reads fail and succeed all come back (no stage
     * waits for the thread it runs on).
     */
    @Test
    void retriesAndWritesComeBackOnThePluginsConnection() {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (KubeCluster c = KubeCluster.forPlugin(pluginConfig(kube), "the Velero cluster", ownReads())) {
                kube.faults.fail(Faults.verb("get", "secrets"), 2, 2, 503);
                List<Optional<ObjectNode>> found = c.getAll(List.of(
                        new KubeCluster.Get(KubeKind.SECRET, "prod", "a"),
                        new KubeCluster.Get(KubeKind.SECRET, "prod", "b"),
                        new KubeCluster.Get(KubeKind.SECRET, "prod", "missing"),
                        new KubeCluster.Get(KubeKind.SECRET, "prod", "c")));
                assertThat(found)
                        .extracting(o -> o.map(s -> s.at("/data/k").asText()).orElse("-"))
                        .containsExactly("a", "b", "-", "c");
                assertThat(kube.faults.pending()).as("the 503s happened").isZero();

                kube.faults.loseAnswer(Faults.verb("create", "configmaps"), 1, 504);
                ObjectNode cm = (ObjectNode) Json.parse(
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\","
                                + "\"namespace\":\"prod\"},\"data\":{\"k\":\"v\"}}",
                        "configmap");
                assertThatThrownBy(() -> c.create(KubeKind.CONFIG_MAP, cm))
                        .isInstanceOf(VmConfigException.class)
                        .satisfies(e -> assertThat(KubeErrors.isConflict(e)).isTrue());
                assertThat(kube.faults.creates("configmaps", "prod", "cm")).isEqualTo(2);

                // RBAC refuses every read of it (the own reads ask fabric8's client again before they fail)
                kube.faults.fail(Faults.verb("get", "secrets"), 1, 10, 403);
                assertThatThrownBy(() -> c.get(KubeKind.SECRET, "prod", "a"))
                        .isInstanceOf(VmConfigException.class)
                        .hasMessageContaining("Secret prod/a");
            }
        });
    }

    @AfterEach
    void stop() {
        config.close();
        kube.close();
    }

    @Test
    void aBatchIsAnsweredInTheOrderAskedWithMissingObjectsEmpty() {
        List<Wanted> wanted = List.of(
                secret("e"), secret("missing"), secret("a"), secret("c"), secret("b"), secret("d"), secret("gone"));

        List<Optional<ObjectNode>> found = config.objects(wanted);

        assertThat(found)
                .extracting(o ->
                        o.map(s -> s.path("metadata").path("name").asText()).orElse("-"))
                .containsExactly("e", "-", "a", "c", "b", "d", "-");
        assertThat(found.get(0).orElseThrow().path("kind").asText()).isEqualTo("Secret");
        // one GET per object, more objects than reading threads
        assertThat(kube.faults.drainSeen().stream().filter(r -> r.verb().equals("get")))
                .hasSizeGreaterThanOrEqualTo(wanted.size());
    }

    @Test
    void everyReadOfABatchIsSentBeforeTheFirstAnswerComes() {
        config.objects(List.of(secret("a"))); // the client exists before the delays are armed
        kube.faults.drainArrivals();
        Duration slow = Duration.ofMillis(600);
        kube.faults.delay(Faults.verb("get", "secrets"), 5, slow);

        List<Optional<ObjectNode>> found =
                config.objects(List.of(secret("a"), secret("b"), secret("c"), secret("d"), secret("e")));

        assertThat(found).allMatch(Optional::isPresent);
        List<Long> arrivals = kube.faults.drainArrivals();
        assertThat(arrivals).hasSize(5);
        // read one after the other, each request would arrive after the previous answer, 600 ms later
        assertThat(arrivals.get(4) - arrivals.get(0))
                .as("nanoseconds from the first request's arrival to the fifth's")
                .isLessThan(slow.toNanos() / 2);
    }

    @Test
    void aFailedReadFailsTheBatchNamingItsObject() {
        config.objects(List.of(secret("a"))); // the client exists before the fault is armed
        kube.faults.fail(Faults.verb("get", "secrets"), 3, 10, 403); // the third read and every one after it

        assertThatThrownBy(() -> config.objects(List.of(secret("a"), secret("b"), secret("c"), secret("d"))))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("Secret prod/");
    }

    private static Wanted secret(String name) {
        return new Wanted("v1", "Secret", "prod", name);
    }
}
