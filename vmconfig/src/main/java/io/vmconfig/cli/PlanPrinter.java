package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Printable;
import io.vmconfig.core.repo.JsonDiff;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import io.vmconfig.service.sync.DrSync;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints a sync plan: one row per VM, its diff and every reason; values under cloud-init are never shown. */
final class PlanPrinter {
    private PlanPrinter() {}

    static void print(PrintWriter out, OutputFormat format, DrSync.Report r, DrSync.Applied applied) {
        ObjectNode t = Json.object();
        t.put("set", r.setId());
        t.put("sourceCluster", r.sourceCluster());
        counts(r.plans())
                .forEach((k, v) -> t.withObjectProperty("counts").put(k.name().toLowerCase(java.util.Locale.ROOT), v));
        if (applied != null) {
            t.put("objectsWritten", applied.objectsWritten());
            applied.failures().forEach(f -> t.withArray("failures").add(f));
        }
        for (VmPlan p : r.plans()) {
            ObjectNode v = t.withArray("vms").addObject();
            v.put("vm", p.source() == null ? "-" : p.source().toString());
            v.put("target", p.target() == null ? "-" : p.target().toString());
            v.put("action", p.action().name().toLowerCase(java.util.Locale.ROOT));
            p.reasons().forEach(x -> v.withArray("reasons").add(x));
            p.codes().forEach(x -> v.withArray("codes").add(x));
            p.diff().forEach(c -> v.withArray("diff").add(line(c)));
        }
        if (Emit.structured(out, format, t)) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (VmPlan p : r.plans()) {
            rows.add(List.of(
                    p.source() == null ? "-" : p.source().toString(),
                    p.target() == null ? "-" : p.target().toString(),
                    p.action().name(),
                    p.reasons().isEmpty()
                            ? (p.diff().isEmpty() ? "" : p.diff().size() + " change(s)")
                            : Printable.escape(String.join("; ", p.reasons()))));
        }
        out.println("set " + r.setId() + " from " + r.sourceCluster());
        Emit.table(out, List.of("VM", "DR", "ACTION", "DETAILS"), rows);
        for (VmPlan p : r.plans()) {
            if (p.action() == SyncAction.UPDATE && !p.diff().isEmpty()) {
                out.println(p.name() + ":");
                p.diff().forEach(c -> out.println("  " + Printable.escape(line(c))));
            }
        }
        if (applied != null) {
            out.println("objects written: " + applied.objectsWritten());
            applied.failures().forEach(f -> out.println("failed " + Printable.escape(f)));
        }
    }

    static Map<SyncAction, Integer> counts(List<VmPlan> plans) {
        Map<SyncAction, Integer> c = new TreeMap<>();
        plans.forEach(p -> c.merge(p.action(), 1, Integer::sum));
        return c;
    }

    /** A diff line; cloud-init and Secret-like values can hold credentials, so only their path is shown. */
    static String line(JsonDiff.Change c) {
        String p = c.path().toLowerCase(java.util.Locale.ROOT);
        if (p.contains("cloudinit") || p.contains("userdata") || p.contains("password") || p.contains("/data")) {
            return c.op() + " " + c.path() + ": (value not shown)";
        }
        return c.toString();
    }
}
