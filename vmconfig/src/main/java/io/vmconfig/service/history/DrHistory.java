package io.vmconfig.service.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.access.Audit;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a DR cluster says was applied for one source VM: the DR VMs that came from it (by their source annotations),
 * each with the set, revision, user and time of its last write (its annotations), and the sync's Created/Updated
 * Events on them (one per set applied, kept while the cluster keeps Events). Read only.
 */
public final class DrHistory {
    private DrHistory() {}

    /** One apply: when, which DR VM, what it said, from which set and revision, by whom. */
    public record Apply(String at, String drVm, String what, String set, String revision, String by) {}

    public static List<Apply> of(KubeCluster dr, VmRef source) {
        List<Apply> out = new ArrayList<>();
        for (ObjectNode vm : dr.list(KubeKind.VM, null, Annotations.MANAGED_LABEL + "=true")) {
            if (!source.namespace().equals(annotation(vm, Annotations.SOURCE_NAMESPACE))
                    || !source.name().equals(annotation(vm, Annotations.SOURCE_NAME))) {
                continue;
            }
            String ns = vm.path("metadata").path("namespace").asText();
            String name = vm.path("metadata").path("name").asText();
            String drVm = ns + "/" + name;
            out.add(new Apply(
                    annotation(vm, Audit.APPLIED_AT),
                    drVm,
                    "current",
                    annotation(vm, Annotations.SET_ID),
                    annotation(vm, Annotations.REVISION),
                    annotation(vm, Audit.APPLIED_BY)));
            for (ObjectNode e : dr.list(KubeKind.EVENT, ns, null)) {
                JsonNode io = e.path("involvedObject");
                String reason = e.path("reason").asText();
                if ("VirtualMachine".equals(io.path("kind").asText())
                        && name.equals(io.path("name").asText())
                        && ("Created".equals(reason) || "Updated".equals(reason))) {
                    out.add(new Apply(
                            e.path("lastTimestamp").asText(""),
                            drVm,
                            reason.toLowerCase(java.util.Locale.ROOT) + ": "
                                    + e.path("message").asText(),
                            "",
                            "",
                            annotation(e, Audit.APPLIED_BY)));
                }
            }
        }
        out.sort(Comparator.comparing(Apply::at).thenComparing(Apply::drVm));
        return out;
    }

    private static String annotation(ObjectNode o, String key) {
        return Json.textAt(o, "metadata", "annotations", key).orElse("");
    }
}
