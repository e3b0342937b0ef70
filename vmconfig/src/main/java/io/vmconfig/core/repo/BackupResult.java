package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;
import java.util.List;

/**
 * What a backup did: the set it wrote, how many objects and bytes it uploaded, which VMs changed, and which were
 * refused because their revision was older than the one already recorded (repository-format.md §8).
 */
public record BackupResult(
        SetId setId,
        int vmCount,
        int changedVms,
        int bundlesWritten,
        int manifestsWritten,
        long bytesWritten,
        List<VmRef> refusedOlder,
        List<String> warnings) {
    public BackupResult {
        refusedOlder = List.copyOf(refusedOlder);
        warnings = List.copyOf(warnings);
    }
}
