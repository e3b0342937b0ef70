package io.vmconfig.cli;

import io.vmconfig.adapters.kube.KubeCluster;

/** How commands reach a cluster; the composition root gives {@code KubeCluster::connect}, tests their own. */
@FunctionalInterface
public interface KubeConnector {
    KubeCluster connect(String kubeconfig, String context, double qps, int burst);
}
