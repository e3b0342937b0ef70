package io.vmconfig.core.velero;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.RestoreBatch;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.RestoreOutcome;
import io.vmconfig.core.restore.UnmappedPolicy;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** vm-restore's port bound to the core's DR restore. */
public final class CoreVmPorts {
    private CoreVmPorts() {}

    /**
     * The core DR restore with the ConfigMap's VolumeMap. Whatever the map says of unmapped claims, the plugin
     * blocks them: Velero must never restore a VM with a fresh disk.
     */
    public static DrRestorePort drRestore(Supplier<UUID> uuids) {
        return (vm, yaml, inventory, origin) -> {
            VolumeMap parsed = VolumeMap.parse(yaml, "vm-restore plugin ConfigMap volume-map.yaml");
            VolumeMap map = new VolumeMap(
                    parsed.mode(),
                    UnmappedPolicy.FAIL,
                    parsed.namespaces(),
                    parsed.claims(),
                    parsed.rules(),
                    parsed.storageClasses(),
                    parsed.networks(),
                    parsed.clusterNetworks());
            ConfigOnlyVm c = RestoreBatch.withRecordedClaims(ConfigOnlyFilter.filter(vm, origin), origin);
            RestoreOutcome outcome = new DrRestore(map, uuids).restore(c, inventory, Map.of());
            if (outcome instanceof RestoreOutcome.Blocked b) {
                return DrVerdict.blocked(
                        b.problems().stream().map(Problem::toString).toList());
            }
            if (outcome instanceof RestoreOutcome.Restored r) {
                return DrVerdict.restored(r.vm());
            }
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "unknown restore outcome for " + origin);
        };
    }
}
