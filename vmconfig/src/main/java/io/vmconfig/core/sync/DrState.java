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

    public DrState(Map<VmRef, DrVm> vms, SiteActivation site) {
        this(vms, site.activated(), site.failedBack());
    }

    public SiteActivation site() {
        return new SiteActivation(activated, failedBack);
    }

    /** Whether the site's activation covers the DR VM {@code ref}: {@link SiteActivation#covers}, the one rule. */
    public boolean activatedFor(VmRef ref) {
        return site().covers(ref);
    }
}
