package io.vmconfig.core.velero;

import io.vmconfig.core.repo.SetId;
import io.vmconfig.core.vm.VmRef;
import java.util.Map;

/**
 * What one sealing pass did with one staged run; {@code leftOut} names the VMs the plugin could not write.
 * REFUSED: a staged entry failed the sealer's integrity check (repository-format.md §11); no set, staging kept for
 * inspection (prune collects it after its grace), the other runs are sealed as usual.
 */
public record SealOutcome(String run, Action action, SetId set, Map<VmRef, String> leftOut, String reason) {
    public enum Action {
        SEALED,
        ALREADY_SEALED,
        DISCARDED,
        WAITING,
        REFUSED
    }

    public SealOutcome {
        leftOut = Map.copyOf(leftOut);
    }
}
