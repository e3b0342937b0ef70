package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.vm.Annotations;
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

    static VmSnapshot of(VmResult r) {
        ObjectNode vm = r.documents().get(0);
        var annotations = vm.path("metadata").path("annotations");
        String uid = annotations.path(Annotations.SOURCE_UID).asText("");
        long generation = parse(annotations.path(Annotations.SOURCE_GENERATION).asText("0"));
        return new VmSnapshot(r.ref(), uid, generation, vm, r.documents().subList(1, r.documents().size()));
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
