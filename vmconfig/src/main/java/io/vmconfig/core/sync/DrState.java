package io.vmconfig.core.sync;

import io.vmconfig.core.vm.VmRef;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What sync needs to know of the DR cluster: its VMs by name, whether the DR site was activated, and which VMs were
 * failed back since (a failback of a subset: the site stays activated for every other VM).
 */
public record DrState(Map<VmRef, DrVm> vms, boolean activated, Set<VmRef> failedBack) {
    public DrState {
        vms = Map.copyOf(vms);
        failedBack = Set.copyOf(failedBack);
    }

    public DrState(Map<VmRef, DrVm> vms, boolean activated) {
        this(vms, activated, Set.of());
    }

    public Optional<DrVm> vm(VmRef ref) {
        return Optional.ofNullable(vms.get(ref));
    }

    /**
     * Whether the site's activation covers the DR VM {@code ref} (null: a VM with no DR name, covered when the site
     * is): the site is activated and this VM was not failed back since. The one home of that rule.
     */
    public boolean activatedFor(VmRef ref) {
        return activated && (ref == null || !failedBack.contains(ref));
    }
}
