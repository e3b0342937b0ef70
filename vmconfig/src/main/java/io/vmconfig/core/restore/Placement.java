package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.preflight.Reason;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.ClaimUse;
import io.vmconfig.core.vm.Volumes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last word on a DR result's disks: every claim it references is a target of the claim mapping or a disk this
 * restore creates. Anything else (a source claim that slipped through, a name no step produced) blocks the VM.
 */
public final class Placement {
    private Placement() {}

    public static List<Problem> check(ObjectNode drVm, Map<String, String> claimMap, Map<String, String> newClaims) {
        Set<String> placed = new HashSet<>(claimMap.values());
        placed.addAll(newClaims.values());
        List<Problem> out = new ArrayList<>();
        for (ClaimUse u : Volumes.claimUses(drVm)) {
            if (u.source() != ClaimSource.BACKEND_STORAGE && !placed.contains(u.claimName())) {
                out.add(new Problem(
                        Reason.UNMAPPED_CLAIM,
                        null,
                        "volume " + u.volumeName() + " references claim " + u.claimName()
                                + ", which is neither mapped nor created by this restore"));
            }
        }
        return out;
    }
}
