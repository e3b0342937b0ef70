package io.vmconfig.adapters.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.Http2Listener;
import io.vmconfig.adapters.embedded.Rbac;
import io.vmconfig.adapters.kube.ScriptedHttpServer.Reply;
import io.vmconfig.core.VmConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private static Config impersonating(ScriptedHttpServer server) {
        Config c = config(server);
        c.getRequestConfig().setImpersonateUsername("alice");
        c.getRequestConfig().setImpersonateGroups("g1", "g2");
        return c;
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
    void anEmptyAnswerIsNotTakenForAMissingObject() throws Exception {
        AtomicInteger n = new AtomicInteger();
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> n.incrementAndGet() == 1
                        ? Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                        : secret("prod", "a"));
                KubeCluster c = KubeCluster.forPlugin(config(server), "scripted", true)) {
            assertThat(c.get(KubeKind.SECRET, "prod", "a")).isPresent();
            assertThat(server.seen).as("the own read, then fabric8's").hasSize(2);
        }
    }

    @Test
    void ownReadsVerifyTheServersNameAgainstAPinnedCertificate(@TempDir Path tmp) throws Exception {
        try (EmbeddedKube kube = EmbeddedKube.start("tls", tmp);
                Http2Listener listener = Http2Listener.start(kube, Http2Listener.Offer.HTTP_1_1)) {
            String port = listener.url.substring(listener.url.lastIndexOf(':') + 1);
            Config trusting = new ConfigBuilder(Config.empty())
                    .withMasterUrl(listener.url + "/")
                    .withTrustCerts(true)
                    .withOauthToken(Rbac.ADMIN_TOKEN)
                    .withRequestRetryBackoffLimit(0)
                    .build();
            try (KubeCluster c = KubeCluster.forPlugin(trusting, "trusting", true)) {
                assertThat(c.get(KubeKind.SECRET, "prod", "a")).isEmpty();
                assertThat(c.ownReadsIdle()).as("the own read got its 404").isEqualTo(1);
            }
            assertThat(listener.requestsByProtocol()).containsExactly(Map.entry("HTTP/1.1", 1L));

            // the certificate pinned, but the server called by a name it was not issued to
            Config pinned = new ConfigBuilder(Config.empty())
                    .withMasterUrl("https://localhost:" + port + "/")
                    .withCaCertFile(listener.certificate().toString())
                    .withOauthToken(Rbac.ADMIN_TOKEN)
                    .withRequestRetryBackoffLimit(0)
                    .build();
            try (KubeCluster c = KubeCluster.forPlugin(pinned, "pinned", true)) {
                assertThatThrownBy(() -> c.get(KubeKind.SECRET, "prod", "a")).isInstanceOf(VmConfigException.class);
            }
            assertThat(listener.requestsByProtocol())
                    .as("no request went over a connection to a server of another name")
                    .containsExactly(Map.entry("HTTP/1.1", 1L));
        }
    }

    @Test
    void ownReadsCarryTheHeadersFabric8sInterceptorsGiveItsOwnRequests() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> secret("prod", "a"));
                KubeCluster own = KubeCluster.forPlugin(impersonating(server), "scripted", true);
                KubeCluster fabric8 = KubeCluster.forPlugin(impersonating(server), "scripted", false)) {

            own.get(KubeKind.SECRET, "prod", "a");
            fabric8.get(KubeKind.SECRET, "prod", "a");

            List<ScriptedHttpServer.Request> seen = List.copyOf(server.seen);
            assertThat(seen).hasSize(2);
            for (String header : List.of("Authorization", "User-Agent", "Impersonate-User", "Impersonate-Group")) {
                assertThat(seen.get(0).headers(header))
                        .as(header)
                        .isNotEmpty()
                        .isEqualTo(seen.get(1).headers(header));
            }
            // one line per group, as fabric8 sends them: the API server does not split a value on commas
            assertThat(seen.get(0).headers("Impersonate-Group")).containsExactly("g1", "g2");
            assertThat(seen.get(0).header("Authorization")).isEqualTo("Bearer t0ken");
            assertThat(seen.get(0).lines().get(0)).isEqualTo("GET /api/v1/namespaces/prod/secrets/a HTTP/1.1");
        }
    }
}
