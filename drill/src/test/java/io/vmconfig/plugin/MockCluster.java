package io.vmconfig.plugin;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/** fabric8's mock API server in CRUD mode, with a kubeconfig file the plugin process reads through KUBECONFIG. */
final class MockCluster implements AutoCloseable {
    final KubernetesMockServer server;
    final NamespacedKubernetesClient client;
    final Path kubeconfig;

    MockCluster(Path dir) throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                .withGroup("velero.io").withVersion("v1").withKind("Backup").withPlural("backups")
                .withScope("Namespaced").build());
        // the kinds vm-restore reads on DR (VMs, VMIs, NADs, instancetypes) are custom resources too
        for (io.vmconfig.adapters.kube.KubeKind k : io.vmconfig.adapters.kube.KubeKind.known()) {
            if (!k.group().isEmpty()) {
                server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(k.group())
                        .withVersion(k.version()).withKind(k.kind()).withPlural(k.plural())
                        .withScope(k.namespaced() ? "Namespaced" : "Cluster").build());
            }
        }
        client = server.createClient();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    namespace: velero
                    user: mock
                current-context: mock
                users:
                - name: mock
                  user:
                    token: not-a-secret
                """.formatted(client.getMasterUrl().toString()));
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
