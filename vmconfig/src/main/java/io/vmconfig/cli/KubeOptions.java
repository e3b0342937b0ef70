package io.vmconfig.cli;

import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.KubeCluster;
import picocli.CommandLine.Option;

/** kubectl-like cluster options: which kubeconfig and context, client QPS/burst, where vmconfig keeps DR state. */
public final class KubeOptions {
    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account)")
    String kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: the current one)")
    String context;

    @Option(
            names = "--qps",
            defaultValue = "20",
            paramLabel = "N",
            description = "client-side API requests per second, 0 for no limit (default: ${DEFAULT-VALUE})")
    double qps;

    @Option(
            names = "--burst",
            defaultValue = "40",
            paramLabel = "N",
            description = "request burst (default: ${DEFAULT-VALUE})")
    int burst;

    @Option(
            names = "--state-namespace",
            defaultValue = ActivationState.DEFAULT_NAMESPACE,
            paramLabel = "NS",
            description =
                    "namespace of the DR state ConfigMap " + ActivationState.NAME + " (default: ${DEFAULT-VALUE})")
    String stateNamespace;

    boolean given() {
        return kubeconfig != null || context != null;
    }

    KubeCluster connect(KubeConnector connector) {
        return connector.connect(kubeconfig, context, qps, burst);
    }
}
