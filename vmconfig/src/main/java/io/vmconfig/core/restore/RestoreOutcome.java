package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.vm.VmRef;
import java.util.List;
import java.util.Map;

/** The decision of a DR restore for one VM: the DR-ready VM, or every reason it is blocked. */
public sealed interface RestoreOutcome {
    VmRef source();

    /** The DR-ready VM. {@code claimMap} is source claim to DR claim; {@code notes} say what else happened. */
    record Restored(VmRef source, VmRef target, ObjectNode vm, Map<String, String> claimMap, List<String> notes)
            implements RestoreOutcome {
        public Restored {
            claimMap = Map.copyOf(claimMap);
            notes = List.copyOf(notes);
        }
    }

    /** The VM must not be written; {@code problems} lists every reason. */
    record Blocked(VmRef source, List<Problem> problems) implements RestoreOutcome {
        public Blocked {
            problems = List.copyOf(problems);
        }
    }
}
