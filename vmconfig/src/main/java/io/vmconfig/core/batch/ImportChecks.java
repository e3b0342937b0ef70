package io.vmconfig.core.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.ClaimUse;
import io.vmconfig.core.vm.Volumes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

/**
 * An import that creates new disks (claims the VolumeMap left unmapped) must not land on a claim that already
 * exists in the target: the copy would attach, or CDI would adopt, somebody else's disk.
 */
public final class ImportChecks {
    private ImportChecks() {}

    /** {@code result} unchanged, or failed when one of its new claims already exists in the target. */
    public static VmResult noSharedNewClaims(VmResult result, DrInventory target) {
        if (!result.ok()) {
            return result;
        }
        ObjectNode vm = result.documents().get(result.documents().size() - 1);
        String ns = vm.path("metadata").path("namespace").asText();
        Set<String> mapped = new HashSet<>();
        Json.textAt(vm, "metadata", "annotations", Annotations.CLAIM_MAP)
                .map(m -> Json.parse(m, "annotation " + Annotations.CLAIM_MAP))
                .ifPresent(m -> m.elements().forEachRemaining(dr -> mapped.add(dr.asText())));
        List<String> shared = new ArrayList<>();
        for (ClaimUse u : Volumes.claimUses(vm)) {
            boolean isNew = u.source() != ClaimSource.BACKEND_STORAGE && !mapped.contains(u.claimName());
            if (isNew && target.pvc(ns, u.claimName()).isPresent()) {
                shared.add(ns + "/" + u.claimName());
            }
        }
        if (shared.isEmpty()) {
            return result;
        }
        return VmResult.failed(result.ref(), result.origin(), "a new disk of VM " + result.target()
                + " would reuse existing claim(s) " + shared + ": map them, or import under another namespace");
    }
}
