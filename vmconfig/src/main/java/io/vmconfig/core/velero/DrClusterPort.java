package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.sync.DrVm;
import io.vmconfig.core.sync.SiteActivation;
import io.vmconfig.core.vm.VmRef;
import java.util.Optional;

/**
 * What vm-restore reads of the DR cluster it restores into. The inventory is read once per Restore (the adapter
 * caches it per Restore, for a bounded time), so a restore of N VMs costs a constant number of list calls; what can
 * change under a running restore and decides safety is read per VM: the site's activation and the target VM itself.
 */
public interface DrClusterPort {
    /**
     * Whether the DR site is activated (failed over) and which VMs were failed back since, read now from the state
     * {@code vmconfig sync} reads ({@code vmconfig-state}); {@link SiteActivation#covers} decides per VM.
     */
    SiteActivation site();

    /**
     * PVCs, NADs, storage classes, cluster instancetypes and preferences, and the VMs using each PVC, as
     * {@code vmconfig sync} checks them, for the Restore named {@code restore}; it includes the VMs this Restore
     * already let through ({@link #admitted}), so two VMs of one Restore cannot take the same claim.
     */
    DrInventory inventory(String restore);

    /** The DR VM at {@code target} as it is now, with whether it runs (a VMI exists). */
    Optional<DrVm> vm(VmRef target);

    /** Restore {@code restore} lets {@code vm} (the object Velero will create) through. */
    void admitted(String restore, ObjectNode vm);
}
