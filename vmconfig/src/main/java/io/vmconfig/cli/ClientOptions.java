package io.vmconfig.cli;

import io.vmconfig.adapters.kube.ActivationState;
import picocli.CommandLine.Option;

/**
 * The Kubernetes client's pacing and where vmconfig keeps a site's state: shared by the one-cluster options
 * ({@link KubeOptions}) and the two-sided ones ({@link TwoSidedKubeOptions}), where they apply to each side.
 */
public final class ClientOptions {
    @Option(
            names = "--qps",
            defaultValue = "20",
            paramLabel = "N",
            description =
                    "Limits the API requests per second sent to a cluster (to each, when there are two), 0 for no limit (default: ${DEFAULT-VALUE}).")
    double qps;

    @Option(
            names = "--burst",
            defaultValue = "40",
            paramLabel = "N",
            description = "Allows this many API requests at once above --qps (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(
            names = "--state-namespace",
            defaultValue = ActivationState.DEFAULT_NAMESPACE,
            paramLabel = "NS",
            description = "Names the namespace of each site's state ConfigMap " + ActivationState.NAME
                    + " (default: ${DEFAULT-VALUE}).")
    String stateNamespace;
}
