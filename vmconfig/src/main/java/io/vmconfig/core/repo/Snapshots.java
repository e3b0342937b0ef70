package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.VmResult;
import java.util.List;

/**
 * Turns export results (config-only VM first, then its dependencies found in the input) into the snapshots a
 * backup stores. uid and generation are the ones the export recorded in the VM's annotations.
 */
public final class Snapshots {
    private Snapshots() {}

    public static List<VmSnapshot> fromExport(List<VmResult> exported) {
        return exported.stream().filter(VmResult::ok).map(Snapshots::of).toList();
    }

    /** One exported VM (its result must be ok) as the snapshot a backup stores. */
    public static VmSnapshot of(VmResult r) {
        ObjectNode vm = r.documents().get(0);
        BundleIdentity id = BundleIdentity.of(vm);
        return new VmSnapshot(
                r.ref(),
                id.uid(),
                id.generation(),
                vm,
                r.documents().subList(1, r.documents().size()));
    }
}
