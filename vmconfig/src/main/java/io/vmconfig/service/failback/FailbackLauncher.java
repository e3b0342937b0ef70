package io.vmconfig.service.failback;

/**
 * How a command starts a failback: the composition root (io.vmconfig.app) reaches both clusters, opens the
 * repository and wires them into {@link Failback}, so that the command itself only parses options and prints.
 */
@FunctionalInterface
public interface FailbackLauncher {
    /** How to reach one cluster, like kubectl: kubeconfig (null: the default) and context, client QPS and burst. */
    record Cluster(String kubeconfig, String context, double qps, int burst) {}

    Failback.Result run(
            Cluster dr, Cluster prod, String repositoryUrl, Failback.Request request, Failback.Listener listener);
}
