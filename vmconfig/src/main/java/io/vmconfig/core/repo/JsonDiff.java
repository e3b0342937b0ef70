package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** A readable JSON diff: one line per added, removed or changed path (JSON Pointer). */
public final class JsonDiff {
    private JsonDiff() {}

    /** One difference. {@code op} is {@code +}, {@code -} or {@code ~}. */
    public record Change(char op, String path, JsonNode before, JsonNode after) {
        @Override
        public String toString() {
            return switch (op) {
                case '+' -> "+ " + path + ": " + after;
                case '-' -> "- " + path + ": " + before;
                default -> "~ " + path + ": " + before + " -> " + after;
            };
        }
    }

    public static List<Change> diff(JsonNode before, JsonNode after) {
        List<Change> out = new ArrayList<>();
        walk("", before, after, out);
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a.equals(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                String p = path + "/" + n.replace("~", "~0").replace("/", "~1");
                if (!a.has(n)) {
                    out.add(new Change('+', p, null, b.get(n)));
                } else if (!b.has(n)) {
                    out.add(new Change('-', p, a.get(n), null));
                } else {
                    walk(p, a.get(n), b.get(n), out);
                }
            }
        } else if (a.isArray() && b.isArray()) {
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            int i = 0;
            for (; ia.hasNext() && ib.hasNext(); i++) {
                walk(path + "/" + i, ia.next(), ib.next(), out);
            }
            for (; ia.hasNext(); i++) {
                out.add(new Change('-', path + "/" + i, ia.next(), null));
            }
            for (; ib.hasNext(); i++) {
                out.add(new Change('+', path + "/" + i, null, ib.next()));
            }
        } else {
            out.add(new Change('~', path.isEmpty() ? "/" : path, a, b));
        }
    }
}
