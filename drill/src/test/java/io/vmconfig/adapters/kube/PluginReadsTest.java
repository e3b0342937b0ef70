package io.vmconfig.adapters.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.vmconfig.adapters.kube.ScriptedHttpServer.Reply;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the plugin's own reads take from an answer and what they leave to fabric8's client: an object that is not
 * the one asked for (as a connection out of step would give) is never used, and no kept connection is trusted after
 * it; the headers are those fabric8's interceptors put on its own requests.
 */
class PluginReadsTest {
    private static Config config(ScriptedHttpServer server) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + server.port() + "/")
                .withOauthToken("t0ken")
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    private static Reply secret(String namespace, String name) {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\"}}";
        return Reply.of("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "answered with {0}/{1}")
    @org.junit.jupiter.params.provider.CsvSource({"prod,b", "other,a"})
    void anAnswerForAnotherObjectIsReadAgainThroughFabric8sClientAndNoKeptConnectionTrusted(
            String namespace, String name) throws Exception {
        AtomicInteger n = new AtomicInteger();
        // the first request is answered with another Secret's object, every later one rightly
        try (ScriptedHttpServer server = new ScriptedHttpServer(
                        r -> n.incrementAndGet() == 1 ? secret(namespace, name) : secret("prod", "a"));
                KubeCluster c = KubeCluster.forPlugin(config(server), "scripted", true)) {
            Optional<ObjectNode> a = c.get(KubeKind.SECRET, "prod", "a");

            assertThat(a)
                    .hasValueSatisfying(
                            s -> assertThat(s.at("/metadata/name").asText()).isEqualTo("a"));
            assertThat(a.get().at("/metadata/namespace").asText()).isEqualTo("prod");
            assertThat(server.seen).as("the own read, then fabric8's").hasSize(2);
            assertThat(c.ownReadsIdle())
                    .as("the connection that was out of step is not kept")
                    .isZero();

            assertThat(c.get(KubeKind.SECRET, "prod", "a")).isPresent();
            assertThat(server.seen).hasSize(3);
            assertThat(c.ownReadsIdle()).isEqualTo(1);
        }
    }

    @Test
    void ownReadsCarryTheHeadersFabric8sInterceptorsGiveItsOwnRequests() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> secret("prod", "a"));
                KubeCluster own = KubeCluster.forPlugin(config(server), "scripted", true);
                KubeCluster fabric8 = KubeCluster.forPlugin(config(server), "scripted", false)) {
            own.get(KubeKind.SECRET, "prod", "a");
            fabric8.get(KubeKind.SECRET, "prod", "a");

            List<ScriptedHttpServer.Request> seen = List.copyOf(server.seen);
            assertThat(seen).hasSize(2);
            for (String header : List.of("Authorization", "User-Agent")) {
                assertThat(seen.get(0).header(header))
                        .as(header)
                        .isNotNull()
                        .isEqualTo(seen.get(1).header(header));
            }
            assertThat(seen.get(0).header("Authorization")).isEqualTo("Bearer t0ken");
            assertThat(seen.get(0).lines().get(0)).isEqualTo("GET /api/v1/namespaces/prod/secrets/a HTTP/1.1");
        }
    }
}
