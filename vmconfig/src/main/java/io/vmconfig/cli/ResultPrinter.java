package io.vmconfig.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Printable;
import io.vmconfig.core.json.Yaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Prints per-VM results of a batch as a table, JSON or YAML. Never prints object contents (Secrets!). The report is
 * written item by item from an {@link Items} source, so that a restore of 100,000 VMs can keep its items on disk
 * ({@link ResultSpool}) instead of in the heap (docs/architecture.md, "Memory").
 */
public final class ResultPrinter {
    private ResultPrinter() {}

    /** The report's items in order (each as {@link #item} makes it), their counts and the widest VM label. */
    interface Items {
        void forEach(java.util.function.Consumer<ObjectNode> each);

        Map<VmResult.Status, Integer> counts();

        int labelWidth();
    }

    public static void print(
            PrintWriter out,
            OutputFormat format,
            String operation,
            List<VmResult> results,
            Map<VmResult, String> files) {
        print(out, format, operation, new Items() {
            @Override
            public void forEach(java.util.function.Consumer<ObjectNode> each) {
                results.forEach(r -> each.accept(item(r, files.get(r))));
            }

            @Override
            public Map<VmResult.Status, Integer> counts() {
                Map<VmResult.Status, Integer> c = new EnumMap<>(VmResult.Status.class);
                results.forEach(r -> c.merge(r.status(), 1, Integer::sum));
                return c;
            }

            @Override
            public int labelWidth() {
                return results.stream().mapToInt(r -> label(r).length()).max().orElse(0);
            }
        });
    }

    static void print(PrintWriter out, OutputFormat format, String operation, Items items) {
        switch (format) {
            case json -> {
                generate(Json.prettyGenerator(out), operation, items);
                out.println();
            }
            case yaml -> generate(Yaml.generator(out), operation, items);
            case table -> table(out, items);
        }
        out.flush();
    }

    /** One VM's line of the report; {@code file} is where it was written, or null. */
    static ObjectNode item(VmResult r, String file) {
        ObjectNode i = Json.object();
        i.put("vm", r.ref() == null ? null : r.ref().toString());
        i.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        i.put("origin", r.origin());
        if (r.target() != null) {
            i.put("target", r.target().toString());
        }
        if (file != null) {
            i.put("file", file);
        }
        ArrayNode d = i.putArray("details");
        r.details().forEach(d::add);
        return i;
    }

    private static void generate(JsonGenerator g, String operation, Items items) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (g) {
            g.writeStartObject();
            g.writeStringField("operation", operation);
            g.writeArrayFieldStart("vms");
            items.forEach(i -> {
                try {
                    g.writeTree(i);
                } catch (IOException e) {
                    throw failed(e);
                }
            });
            g.writeEndArray();
            g.writeObjectFieldStart("counts");
            for (Map.Entry<VmResult.Status, Integer> c : items.counts().entrySet()) {
                g.writeNumberField(c.getKey().name().toLowerCase(java.util.Locale.ROOT), c.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private static VmConfigException failed(IOException e) {
        return new VmConfigException(VmConfigException.Kind.IO, "cannot print the report: " + e.getMessage(), e);
    }

    private static void table(PrintWriter out, Items items) {
        int w = Math.max(2, items.labelWidth());
        out.printf("%-" + w + "s  %-9s  %s%n", "VM", "STATUS", "OUTPUT / DETAILS");
        items.forEach(i -> {
            String status = i.path("status").asText().toUpperCase(java.util.Locale.ROOT);
            JsonNode details = i.path("details");
            boolean hasFile = i.hasNonNull("file");
            String first = hasFile
                    ? i.get("file").asText()
                    : details.isEmpty() ? "" : details.get(0).asText();
            out.printf("%-" + w + "s  %-9s  %s%n", label(i), status, Printable.escape(first));
            for (int d = hasFile ? 0 : 1; d < details.size(); d++) {
                out.printf(
                        "%-" + w + "s  %-9s  %s%n",
                        "",
                        "",
                        Printable.escape(details.get(d).asText()));
            }
        });
        StringBuilder sb = new StringBuilder();
        Map<VmResult.Status, Integer> counts = items.counts();
        counts.forEach((s, n) -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(n)
                .append(' ')
                .append(s.name().toLowerCase(java.util.Locale.ROOT)));
        out.println(counts.isEmpty() ? "no VirtualMachines in the input" : sb.toString());
    }

    static String label(VmResult r) {
        return Printable.escape(r.ref() != null ? r.ref().toString() : r.origin());
    }

    private static String label(ObjectNode i) {
        return Printable.escape(
                i.hasNonNull("vm") ? i.get("vm").asText() : i.path("origin").asText(null));
    }
}
