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
        if (Emit.structured(out, format, tree(r, applied))) {
            return;
        }
        table(out, r, applied, "DR");
    }

    /** The report as {@code -o json} prints it: the set, counts by action, and one object per VM. */
    static ObjectNode tree(DrSync.Report r, DrSync.Applied applied) {
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
        return t;
    }

    /** The report as a table, then each update's changes and what was written. */
    static void table(PrintWriter out, DrSync.Report r, DrSync.Applied applied, String targetColumn) {
        List<List<String>> rows = new ArrayList<>();
        for (VmPlan p : r.plans()) {
            rows.add(List.of(
                    p.source() == null ? "-" : p.source().toString(),
                    p.target() == null ? "-" : p.target().toString(),
                    p.action().name(),
                    details(p)));
        }
        out.println("set " + r.setId() + " from " + r.sourceCluster());
        Emit.table(out, List.of("VM", targetColumn, "ACTION", "DETAILS"), rows);
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

    /**
     * The DETAILS cell: every reason (blocked, skipped, adopted: the reason code first, as -o json's {@code codes}
     * says it), and for a write the number of changes.
     */
    private static String details(VmPlan p) {
        List<String> parts = new ArrayList<>();
        if (!p.reasons().isEmpty()) {
            String why = String.join("; ", p.reasons());
            parts.add(p.action().writes() && !p.codes().isEmpty() ? String.join(",", p.codes()) + ": " + why : why);
        }
        if (p.action().writes() && !p.diff().isEmpty()) {
            parts.add(p.diff().size() + " change(s)");
        }
        return Printable.escape(String.join("; ", parts));
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
