package io.vmconfig.core.repo;

import java.util.List;
import java.util.function.Consumer;

/**
 * The VMs of a backup handed out one at a time, so that a backup of 100,000 VMs holds one VM's snapshot at a time
 * rather than all of them (docs/architecture.md, "Memory"). It may be walked more than once: a run that trains its
 * dictionaries (§5.3) walks it three times (which VMs, then the samples, then the bundles), any other run once.
 */
@FunctionalInterface
public interface SnapshotStream {
    void forEach(Consumer<? super VmSnapshot> each);

    static SnapshotStream of(List<VmSnapshot> vms) {
        return vms::forEach;
    }
}
