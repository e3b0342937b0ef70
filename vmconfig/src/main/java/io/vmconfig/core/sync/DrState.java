package io.vmconfig.core.sync;

import io.vmconfig.core.vm.VmRef;
import java.util.Map;
import java.util.Optional;

/** What sync needs to know of the DR cluster: its VMs by name and whether the DR site was activated. */
public record DrState(Map<VmRef, DrVm> vms, boolean activated) {
    public DrState {
        vms = Map.copyOf(vms);
    }

    public Optional<DrVm> vm(VmRef ref) {
        return Optional.ofNullable(vms.get(ref));
    }
}
