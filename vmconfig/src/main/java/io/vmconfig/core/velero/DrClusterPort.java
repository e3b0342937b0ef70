package io.vmconfig.core.velero;

import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.sync.DrState;

/** What vm-restore reads of the DR cluster it restores into: its VMs (running or not) and the pre-flight inventory. */
public interface DrClusterPort {
    /** The DR VMs with their VMIs and the activation state, as {@code vmconfig sync} reads them. */
    DrState state();

    /** PVCs, NADs, storage classes, cluster instancetypes and preferences, as {@code vmconfig sync} checks them. */
    DrInventory inventory();
}
