package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Printable;
import io.vmconfig.core.json.Yaml;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Prints per-VM results of a batch as a table, JSON or YAML. Never prints object contents (Secrets!). */
public final class ResultPrinter {
    private ResultPrinter() {}

    public static void print(
            PrintWriter out,
            OutputFormat format,
            String operation,
            List<VmResult> results,
            Map<VmResult, String> files) {
        switch (format) {
            case json -> out.println(Json.pretty(tree(operation, results, files)));
            case yaml -> out.print(Yaml.write(tree(operation, results, files)));
            case table -> table(out, results, files);
        }
        out.flush();
    }

    static ObjectNode tree(String operation, List<VmResult> results, Map<VmResult, String> files) {
        ObjectNode root = Json.object();
        root.put("operation", operation);
        ArrayNode items = root.putArray("vms");
        for (VmResult r : results) {
            ObjectNode i = items.addObject();
            i.put("vm", r.ref() == null ? null : r.ref().toString());
            i.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
            i.put("origin", r.origin());
            if (r.target() != null) {
                i.put("target", r.target().toString());
            }
            if (files.containsKey(r)) {
                i.put("file", files.get(r));
            }
            ArrayNode d = i.putArray("details");
            r.details().forEach(d::add);
        }
        ObjectNode counts = root.putObject("counts");
        counts(results).forEach((s, n) -> counts.put(s.name().toLowerCase(java.util.Locale.ROOT), n));
        return root;
    }

    static Map<VmResult.Status, Integer> counts(List<VmResult> results) {
        Map<VmResult.Status, Integer> c = new EnumMap<>(VmResult.Status.class);
        results.forEach(r -> c.merge(r.status(), 1, Integer::sum));
        return c;
    }

    private static void table(PrintWriter out, List<VmResult> results, Map<VmResult, String> files) {
        int w = Math.max(
                2, results.stream().mapToInt(r -> label(r).length()).max().orElse(2));
        out.printf("%-" + w + "s  %-9s  %s%n", "VM", "STATUS", "OUTPUT / DETAILS");
        for (VmResult r : results) {
            String status = r.status().name();
            String first = files.getOrDefault(
                    r, r.details().isEmpty() ? "" : r.details().get(0));
            out.printf("%-" + w + "s  %-9s  %s%n", label(r), status, Printable.escape(first));
            List<String> rest = files.containsKey(r)
                    ? r.details()
                    : r.details().stream().skip(1).toList();
            for (String d : rest) {
                out.printf("%-" + w + "s  %-9s  %s%n", "", "", Printable.escape(d));
            }
        }
        StringBuilder sb = new StringBuilder();
        counts(results)
                .forEach((s, n) -> sb.append(sb.length() == 0 ? "" : ", ")
                        .append(n)
                        .append(' ')
                        .append(s.name().toLowerCase(java.util.Locale.ROOT)));
        out.println(results.isEmpty() ? "no VirtualMachines in the input" : sb.toString());
    }

    private static String label(VmResult r) {
        return Printable.escape(r.ref() != null ? r.ref().toString() : r.origin());
    }
}
