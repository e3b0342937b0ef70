package io.vmconfig.app;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.cli.KubeConnector;
import io.vmconfig.cli.RepoEnvironment;
import io.vmconfig.cli.VersionProvider;
import io.vmconfig.service.failback.Failback;
import io.vmconfig.service.failback.FailbackLauncher;
import java.util.UUID;
import java.util.function.Supplier;

/** {@code vmconfig failback}'s adapters: both clusters through the connector, the repository through its opener. */
final class FailbackWiring implements FailbackLauncher {
    private final RepoEnvironment env;
    private final KubeConnector kube;
    private final Supplier<UUID> uuids;

    FailbackWiring(RepoEnvironment env, KubeConnector kube, Supplier<UUID> uuids) {
        this.env = env;
        this.kube = kube;
        this.uuids = uuids;
    }

    @Override
    public Failback.Result run(
            Cluster dr, Cluster prod, String repositoryUrl, Failback.Request request, Failback.Listener listener) {
        try (KubeCluster from = kube.connect(dr.kubeconfig(), dr.context(), dr.qps(), dr.burst());
                KubeCluster to = kube.connect(prod.kubeconfig(), prod.context(), prod.qps(), prod.burst())) {
            return new Failback(
                            from,
                            to,
                            env.opener().open(repositoryUrl),
                            env.clock(),
                            env.random(),
                            uuids,
                            VersionProvider.version())
                    .run(request, listener);
        }
    }
}
