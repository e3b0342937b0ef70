package io.vmconfig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import java.io.PrintWriter;
import java.util.List;

/** Prints a tree as JSON or YAML, or rows as an aligned table. */
final class Emit {
    private Emit() {}

    /** Prints {@code tree} for json/yaml and returns true; returns false for table, which the caller prints. */
    static boolean structured(PrintWriter out, OutputFormat format, JsonNode tree) {
        switch (format) {
            case json -> out.println(Json.pretty(tree));
            case yaml -> out.print(Yaml.write(tree));
            default -> {
                return false;
            }
        }
        return true;
    }

    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        line(out, header, w);
        rows.forEach(r -> line(out, r, w));
    }

    private static void line(PrintWriter out, List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + w[i] + "s  ", cells.get(i)));
        }
        out.println(sb.toString().stripTrailing());
    }
}
