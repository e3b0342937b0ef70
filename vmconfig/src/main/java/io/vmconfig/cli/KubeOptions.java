package io.vmconfig.cli;

import io.vmconfig.adapters.kube.KubeCluster;
import picocli.CommandLine.Option;

/**
 * kubectl-like cluster options: which kubeconfig and context, and the client options ({@link ClientOptions}: QPS,
 * burst, where vmconfig keeps the site's state).
 */
public final class KubeOptions {
    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account)")
    String kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: the current one)")
    String context;

    @picocli.CommandLine.Mixin
    ClientOptions client;

    String stateNamespace() {
        return client.stateNamespace;
    }

    boolean given() {
        return kubeconfig != null || context != null;
    }

    KubeCluster connect(KubeConnector connector) {
        return connector.connect(kubeconfig, context, client.qps, client.burst);
    }
}
