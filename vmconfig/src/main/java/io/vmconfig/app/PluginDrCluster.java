package io.vmconfig.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.DrReader;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.sync.DrVm;
import io.vmconfig.core.sync.SiteActivation;
import io.vmconfig.core.velero.DrClusterPort;
import io.vmconfig.core.vm.VmRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The DR cluster as vm-restore sees it, read with the Velero pod's service account (KUBECONFIG outside a cluster)
 * through the same reader as {@code vmconfig sync}. Connects on first use: processes that restore no config-only VM
 * never do. The pre-flight inventory is listed once per Restore and kept for {@link #MAX_AGE} (then listed again, so
 * a long restore sees the DR cluster change); at most {@link #MAX_RESTORES} Restores are remembered.
 */
final class PluginDrCluster implements DrClusterPort, AutoCloseable {
    static final Duration MAX_AGE = Duration.ofMinutes(2);
    static final int MAX_RESTORES = 8;
    private final Clock clock;
    private final Supplier<KubeCluster> connect;
    private KubeCluster cluster;
    private final Map<String, Snapshot> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Snapshot> eldest) {
            return size() > MAX_RESTORES;
        }
    };

    private record Snapshot(Instant read, List<ObjectNode> objects) {}

    PluginDrCluster(Clock clock) {
        this(clock, () -> KubeCluster.connect(null, null, 0, 0));
    }

    PluginDrCluster(Clock clock, Supplier<KubeCluster> connect) {
        this.clock = clock;
        this.connect = connect;
    }

    private synchronized DrReader reader() {
        if (cluster == null) {
            cluster = connect.get();
        }
        return new DrReader(cluster, new ActivationState(cluster, ActivationState.DEFAULT_NAMESPACE, clock));
    }

    @Override
    public SiteActivation site() {
        return reader().site();
    }

    @Override
    public synchronized DrInventory inventory(String restore) {
        Snapshot s = snapshots.get(restore);
        Instant now = clock.instant();
        if (s == null || Duration.between(s.read(), now).compareTo(MAX_AGE) > 0) {
            DrReader r = reader();
            s = new Snapshot(now, new ArrayList<>(r.inventoryObjects(r.vms())));
            snapshots.put(restore, s);
        }
        return DrInventory.of(s.objects());
    }

    @Override
    public Optional<DrVm> vm(VmRef target) {
        return reader().vm(target);
    }

    @Override
    public synchronized void admitted(String restore, ObjectNode vm) {
        Snapshot s = snapshots.get(restore);
        if (s != null) {
            s.objects().add(vm);
        }
    }

    @Override
    public synchronized void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
