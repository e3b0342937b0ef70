package io.vmconfig.app;

import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.DrReader;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.sync.DrState;
import io.vmconfig.core.velero.DrClusterPort;
import java.time.Clock;

/**
 * The DR cluster as vm-restore sees it, read with the Velero pod's service account (KUBECONFIG outside a cluster)
 * through the same reader as {@code vmconfig sync}. Connects on first use: processes that restore no config-only VM
 * never do.
 */
final class PluginDrCluster implements DrClusterPort, AutoCloseable {
    private final Clock clock;
    private KubeCluster cluster;

    PluginDrCluster(Clock clock) {
        this.clock = clock;
    }

    private synchronized DrReader reader() {
        if (cluster == null) {
            cluster = KubeCluster.connect(null, null, 0, 0);
        }
        return new DrReader(cluster, new ActivationState(cluster, ActivationState.DEFAULT_NAMESPACE, clock));
    }

    @Override
    public DrState state() {
        DrReader r = reader();
        return r.state(r.vms());
    }

    @Override
    public DrInventory inventory() {
        DrReader r = reader();
        return r.inventory(r.vms());
    }

    @Override
    public synchronized void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
