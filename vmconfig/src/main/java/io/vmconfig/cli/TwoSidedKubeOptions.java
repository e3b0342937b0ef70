package io.vmconfig.cli;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.service.failback.FailbackLauncher;
import java.util.Objects;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * kubectl-like options of a command that reaches two clusters, from one (DR) to the other (production): a kubeconfig
 * and a context for each side (a shared {@code --kubeconfig} when both contexts live in one file), and the client
 * options ({@link ClientOptions}) applied to each side.
 */
public final class TwoSidedKubeOptions {
    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "Sets the kubeconfig file of both sides unless --from-kubeconfig or --to-kubeconfig names"
                    + " another (default: $KUBECONFIG or ~/.kube/config).")
    String kubeconfig;

    @Option(
            names = "--from-kubeconfig",
            paramLabel = "FILE",
            description =
                    "Sets the kubeconfig file of the DR cluster, the site failed back from (default: --kubeconfig).")
    String fromKubeconfig;

    @Option(
            names = "--to-kubeconfig",
            paramLabel = "FILE",
            description = "Sets the kubeconfig file of production, the site failed back to (default: --kubeconfig).")
    String toKubeconfig;

    @Option(
            names = "--from-context",
            required = true,
            paramLabel = "NAME",
            description = "Names the DR cluster's context, the site that ran the VMs.")
    String fromContext;

    @Option(
            names = "--to-context",
            required = true,
            paramLabel = "NAME",
            description = "Names production's context, the site the VMs go back to.")
    String toContext;

    @Mixin
    ClientOptions client;

    /** The DR side (failed back from). */
    FailbackLauncher.Cluster from() {
        return new FailbackLauncher.Cluster(fromFile(), fromContext, client.qps, client.burst);
    }

    /** The production side (failed back to). */
    FailbackLauncher.Cluster to() {
        return new FailbackLauncher.Cluster(toFile(), toContext, client.qps, client.burst);
    }

    String stateNamespace() {
        return client.stateNamespace;
    }

    private String fromFile() {
        return fromKubeconfig != null ? fromKubeconfig : kubeconfig;
    }

    private String toFile() {
        return toKubeconfig != null ? toKubeconfig : kubeconfig;
    }

    /** Both sides must be two clusters: the same context of the same kubeconfig file is refused. */
    void requireTwoSides() {
        if (Objects.equals(fromFile(), toFile()) && Objects.equals(fromContext, toContext)) {
            throw VmConfigException.config("--from-context and --to-context name the same context '" + fromContext
                    + "'" + (fromFile() == null ? "" : " of " + fromFile())
                    + ": failback goes from the DR cluster to production");
        }
    }
}
