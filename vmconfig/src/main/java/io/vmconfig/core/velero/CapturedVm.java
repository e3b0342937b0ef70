package io.vmconfig.core.velero;

import io.vmconfig.core.repo.VmSnapshot;
import java.util.List;

/**
 * A VM as vm-backup captured it: the snapshot (config-only VM with its source record, and the dependency objects
 * found) and the Velero resource identifiers of the dependencies it names, found or not.
 */
public record CapturedVm(VmSnapshot snapshot, List<ResourceRef> dependencies) {
    public CapturedVm {
        dependencies = List.copyOf(dependencies);
    }
}
