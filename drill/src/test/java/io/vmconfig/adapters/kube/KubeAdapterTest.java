package io.vmconfig.adapters.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.VmConfigException.Kind;
import io.vmconfig.core.json.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes adapter's own rules: error classes, pacing, field manager, trees in and out. */
class KubeAdapterTest {
    @TempDir
    Path tmp;

    @Test
    void clientFailuresAreClassifiedAndNameTheObject() {
        Map<Integer, Kind> expected = Map.of(
                0,
                Kind.TRANSIENT,
                409,
                Kind.TRANSIENT,
                503,
                Kind.TRANSIENT,
                403,
                Kind.CONFIG,
                422,
                Kind.INVALID_INPUT,
                404,
                Kind.IO);
        expected.forEach((code, kind) -> {
            VmConfigException e = KubeErrors.map(
                    "update VirtualMachine a/b on dr",
                    new KubernetesClientException(
                            "body with secret",
                            code,
                            new StatusBuilder().withCode(code).withReason("Why").build()));
            assertThat(e.kind()).as("HTTP " + code).isEqualTo(kind);
            assertThat(e.getMessage())
                    .startsWith("update VirtualMachine a/b on dr: ")
                    .doesNotContain("secret");
        });
        assertThat(KubeErrors.isConflict(KubeErrors.map("x", new KubernetesClientException("c", 409, null))))
                .isTrue();
    }

    @Test
    void requestsArePacedToTheConfiguredQpsAndWritesCarryTheFieldManager() throws Exception {
        try (EmbeddedKube c = EmbeddedKube.start("dr", tmp);
                KubeCluster paced = KubeCluster.connect(c.kubeconfig.toString(), "dr", 10, 1)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                paced.list(KubeKind.CONFIG_MAP, "x", null);
            }
            assertThat((System.nanoTime() - t0) / 1e9).isGreaterThanOrEqualTo(0.45); // 5 waits of 0.1 s
            assertThat(paced.meter().reads()).isEqualTo(6);
            ObjectNode cm = Json.object();
            cm.put("apiVersion", "v1")
                    .put("kind", "ConfigMap")
                    .putObject("metadata")
                    .put("namespace", "x")
                    .put("name", "y");
            paced.create(KubeKind.CONFIG_MAP, cm);
            assertThat(paced.meter().writes()).isEqualTo(1);
            assertThat(c.server.getLastRequest().getPath()).endsWith("?fieldManager=vmconfig");
            assertThat(paced.get(KubeKind.CONFIG_MAP, "x", "y")
                            .orElseThrow()
                            .path("kind")
                            .asText())
                    .isEqualTo("ConfigMap");
            assertThatThrownBy(() -> paced.create(KubeKind.CONFIG_MAP, cm))
                    .isInstanceOf(VmConfigException.class)
                    .hasMessageContaining("create ConfigMap x/y on dr");
        }
    }

    @Test
    void aKindTheClusterDoesNotServeListsAsEmpty() {
        try (EmbeddedKube c = EmbeddedKube.start("dr", tmp)) {
            c.server
                    .expect()
                    .get()
                    .withPath("/apis/k8s.cni.cncf.io/v1/network-attachment-definitions?limit=500")
                    .andReturn(404, "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}")
                    .always();
            assertThat(c.cluster.list(KubeKind.NAD, null, null)).isEmpty();
            assertThat(c.meter.reads()).isEqualTo(1);
            assertThat(c.cluster.listEach(KubeKind.NAD, null, null, o -> {}))
                    .as("not served: no version to watch from")
                    .isNull();
            // the same expectation form does reach the client: a refused list is an error, not empty
            c.server
                    .expect()
                    .get()
                    .withPath("/apis/storage.k8s.io/v1/storageclasses?limit=500")
                    .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}")
                    .always();
            assertThatThrownBy(() -> c.cluster.list(KubeKind.STORAGE_CLASS, null, null))
                    .isInstanceOfSatisfying(
                            VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFIG));
        }
    }

    /**
     * list and the watch's initial list share one paging loop (listEach): every page is followed through its continue
     * token, and the list's resourceVersion is the first page's (where a watch of the same selection starts).
     */
    @Test
    void aPagedListFollowsEveryPageAndGivesTheFirstPagesResourceVersion() {
        try (EmbeddedKube c = EmbeddedKube.start("dr", tmp)) {
            String path = "/api/v1/namespaces/x/configmaps?limit=500";
            c.server
                    .expect()
                    .get()
                    .withPath(path)
                    .andReturn(
                            200,
                            "{\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"41\",\"continue\":\"p2\"},"
                                    + "\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\"}},"
                                    + "{\"metadata\":{\"name\":\"b\",\"namespace\":\"x\"}}]}")
                    .always();
            c.server
                    .expect()
                    .get()
                    .withPath(path + "&continue=p2")
                    .andReturn(
                            200,
                            "{\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"42\"},"
                                    + "\"items\":[{\"metadata\":{\"name\":\"c\",\"namespace\":\"x\"}}]}")
                    .always();
            java.util.List<String> seen = new java.util.ArrayList<>();
            String version = c.cluster.listEach(
                    KubeKind.CONFIG_MAP,
                    "x",
                    null,
                    o -> seen.add(o.path("kind").asText() + " "
                            + o.at("/metadata/name").asText()));
            assertThat(version).isEqualTo("41");
            assertThat(seen).containsExactly("ConfigMap a", "ConfigMap b", "ConfigMap c");
            assertThat(c.cluster.list(KubeKind.CONFIG_MAP, "x", null))
                    .extracting(o -> o.at("/metadata/name").asText())
                    .containsExactly("a", "b", "c");
        }
    }
}
