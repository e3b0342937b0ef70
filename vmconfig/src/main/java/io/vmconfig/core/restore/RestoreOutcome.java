package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.vm.VmRef;
import java.util.List;
import java.util.Map;

/** The decision of a DR restore for one VM: the DR-ready VM, or every reason it is blocked. */
public sealed interface RestoreOutcome {
    VmRef source();

    /**
     * The DR-ready VM. {@code claimMap} is source claim to DR claim; {@code newClaims} the PVCs this restore creates
     * (copy disks, written before the VM); {@code notes} say what else happened.
     */
    record Restored(
            VmRef source,
            VmRef target,
            ObjectNode vm,
            Map<String, String> claimMap,
            List<ObjectNode> newClaims,
            List<String> notes)
            implements RestoreOutcome {
        public Restored {
            claimMap = Map.copyOf(claimMap);
            newClaims = List.copyOf(newClaims);
            notes = List.copyOf(notes);
        }
    }

    /** The VM must not be written; {@code problems} lists every reason. */
    record Blocked(VmRef source, List<Problem> problems) implements RestoreOutcome {
        public Blocked {
            problems = List.copyOf(problems);
        }

        /** A safety rule (not a missing piece) stops the VM: exit code 5 rather than 1. */
        public boolean refused() {
            return problems.stream().anyMatch(p -> p.reason() == io.vmconfig.core.preflight.Reason.FOREIGN_CLAIM);
        }
    }
}
