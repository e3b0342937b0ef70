package io.vmconfig.core.velero;

import io.vmconfig.core.repo.SetId;
import io.vmconfig.core.vm.VmRef;
import java.util.Map;

/** What one sealing pass did with one staged run; {@code leftOut} names the VMs the plugin could not write. */
public record SealOutcome(String run, Action action, SetId set, Map<VmRef, String> leftOut, String reason) {
    public enum Action { SEALED, ALREADY_SEALED, DISCARDED, WAITING }

    public SealOutcome {
        leftOut = Map.copyOf(leftOut);
    }
}
