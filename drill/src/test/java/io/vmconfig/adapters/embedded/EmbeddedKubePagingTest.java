package io.vmconfig.adapters.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test kit serves list pagination as a real API server does (fabric8's CRUD mock ignores {@code limit} and
 * {@code continue}): pages of at most {@code limit} objects in key order, a continue token while more remain, and a
 * token it did not give refused.
 */
class EmbeddedKubePagingTest {
    @TempDir
    Path tmp;

    private static List<String> names(List<ObjectNode> page) {
        return page.stream()
                .map(o -> o.path("metadata").path("namespace").asText() + "/"
                        + o.path("metadata").path("name").asText())
                .toList();
    }

    @Test
    void aListWithALimitComesInPagesInKeyOrderWithContinueTokens() {
        try (EmbeddedKube k = EmbeddedKube.start("k", tmp)) {
            for (String n : List.of("g", "c", "a", "e")) {
                k.create(KubeKind.CONFIG_MAP, RbacTest.configMap("b-ns", n));
            }
            for (String n : List.of("f", "d", "b")) {
                k.create(KubeKind.CONFIG_MAP, RbacTest.configMap("a-ns", n));
            }
            List<List<String>> pages = new ArrayList<>();
            k.cluster.pages(KubeKind.CONFIG_MAP, null, null, 3, p -> pages.add(names(p)));
            assertThat(pages)
                    .containsExactly(
                            List.of("a-ns/b", "a-ns/d", "a-ns/f"),
                            List.of("b-ns/a", "b-ns/c", "b-ns/e"),
                            List.of("b-ns/g"));
            assertThat(k.faults.drainSeen())
                    .filteredOn(r -> r.verb().equals("list"))
                    .hasSize(3);
            // one namespace, and one object by name: what a backup reads
            List<List<String>> inB = new ArrayList<>();
            k.cluster.pages(KubeKind.CONFIG_MAP, "b-ns", null, 2, p -> inB.add(names(p)));
            assertThat(inB).containsExactly(List.of("b-ns/a", "b-ns/c"), List.of("b-ns/e", "b-ns/g"));
            assertThat(k.cluster
                            .find(KubeKind.CONFIG_MAP, "b-ns", "e")
                            .map(o -> o.at("/metadata/name").asText()))
                    .contains("e");
            assertThat(k.cluster.find(KubeKind.CONFIG_MAP, "a-ns", "e")).isEmpty();
        }
    }

    @Test
    void aContinueTokenTheServerDidNotGiveIsRefused() {
        try (EmbeddedKube k = EmbeddedKube.start("k", tmp)) {
            k.create(KubeKind.CONFIG_MAP, RbacTest.configMap("a-ns", "a"));
            assertThatThrownBy(() -> k.cluster.client().raw("/api/v1/configmaps?limit=1&continue=bm90LWEtdG9rZW4"))
                    .hasMessageContaining("400");
            assertThatThrownBy(() -> k.cluster.pages(KubeKind.CONFIG_MAP, null, null, 0, p -> {}))
                    .isInstanceOf(VmConfigException.class);
        }
    }
}
