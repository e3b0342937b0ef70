package io.vmconfig.core.sync;

import io.vmconfig.core.vm.VmRef;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What sync needs to know of the DR cluster: its VMs by name and the site's activation (whether the DR site was
 * activated, and which VMs were failed back since: a failback of a subset leaves the site activated for the rest).
 */
public record DrState(Map<VmRef, DrVm> vms, SiteActivation site) {
    public DrState {
        vms = vms instanceof DrVms ? vms : Map.copyOf(vms); // DrVms is immutable and kept small
    }

    /** A site activated for every VM ({@code activated}) or for none, nothing failed back. */
    public DrState(Map<VmRef, DrVm> vms, boolean activated) {
        this(vms, new SiteActivation(activated, Set.of()));
    }

    public Optional<DrVm> vm(VmRef ref) {
        return Optional.ofNullable(vms.get(ref));
    }

    /** Whether the DR site was activated (failed over), whatever was failed back since. */
    public boolean activated() {
        return site.activated();
    }

    /** Whether the site's activation covers the DR VM {@code ref}: {@link SiteActivation#covers}, the one rule. */
    public boolean activatedFor(VmRef ref) {
        return site.covers(ref);
    }
}
