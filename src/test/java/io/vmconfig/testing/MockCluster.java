package io.vmconfig.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.ApiMeter;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An in-process Kubernetes API server (fabric8's mock in CRUD mode) on loopback, with a kubeconfig file whose
 * context is {@code name}, and a metered client to seed and inspect it. The drill can use it as is.
 */
public final class MockCluster implements AutoCloseable {
    public final String name;
    public final KubernetesMockServer server;
    public final ApiMeter meter = ApiMeter.unlimited();
    public final KubeCluster cluster;
    public final Path kubeconfig;

    /** The mock logs every request at INFO: kept quiet (and referenced, so the level holds). */
    private static final java.util.logging.Logger MOCK_LOG = quiet();

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    private MockCluster(String name, Path dir) {
        this.name = name;
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), true);
        server.init();
        for (KubeKind k : KubeKind.known()) {
            if (!k.group().isEmpty()) {
                server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(k.group())
                        .withVersion(k.version()).withKind(k.kind()).withPlural(k.plural())
                        .withScope(k.namespaced() ? "Namespaced" : "Cluster").build());
            }
        }
        cluster = new KubeCluster(server.createClient(KubeCluster.instrument(meter)), meter, name);
        meter.reset();
        kubeconfig = dir.resolve(name + ".kubeconfig");
        String yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: " + name + "\n  cluster:\n    insecure-skip-tls-verify: true\n    server: "
                + server.url("/").replaceAll("/$", "") + "\nusers:\n- name: " + name + "\n  user:\n    token: t\n"
                + "contexts:\n- name: " + name + "\n  context:\n    cluster: " + name + "\n    user: " + name
                + "\ncurrent-context: " + name + "\n";
        try {
            Files.createDirectories(dir);
            Files.writeString(kubeconfig, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MockCluster start(String name, Path dir) {
        return new MockCluster(name, dir);
    }

    /** Creates every object of the files under {@code path} (VMs at kubevirt.io/v1, as a real server serves them). */
    public MockCluster seed(Path path) {
        KubeObjectReader.read(path).forEach(o -> create((ObjectNode) o.object()));
        return this;
    }

    public ObjectNode create(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        if ("VirtualMachine".equals(c.path("kind").asText())) {
            c.put("apiVersion", "kubevirt.io/v1");
        }
        return cluster.create(KubeKind.of(c.path("apiVersion").asText(), c.path("kind").asText()), c);
    }

    public String[] contextArgs() {
        return new String[] {"--kubeconfig", kubeconfig.toString(), "--context", name};
    }

    @Override
    public void close() {
        cluster.close();
        server.destroy();
    }
}
