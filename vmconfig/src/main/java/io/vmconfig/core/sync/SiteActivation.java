package io.vmconfig.core.sync;

import io.vmconfig.core.vm.VmRef;
import java.util.Set;

/**
 * The DR site's activation as recorded on DR: whether the site was activated (failed over), and which DR VMs were
 * failed back since (a failback of a subset: the site stays activated for every other VM). Read by {@code sync}
 * ({@link DrState}) and by the plugin's vm-restore, from the same state, so both decide alike.
 */
public record SiteActivation(boolean activated, Set<VmRef> failedBack) {
    /** Not activated, nothing failed back. */
    public static final SiteActivation NONE = new SiteActivation(false, Set.of());

    public SiteActivation {
        failedBack = Set.copyOf(failedBack);
    }

    /**
     * Whether the site's activation covers the DR VM {@code ref} (null: a VM with no DR name, covered when the site
     * is): the site is activated and this VM was not failed back since. The one home of that rule.
     */
    public boolean covers(VmRef ref) {
        return activated && (ref == null || !failedBack.contains(ref));
    }

    /** Whether it covers every VM whatever its name: activated, none failed back (nothing needs a name to decide). */
    public boolean coversEvery() {
        return activated && failedBack.isEmpty();
    }
}
