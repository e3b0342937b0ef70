package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The per-VM report of a restore of a whole set, kept on disk as it is made: one compact JSON line per VM in an
 * owner-only temporary file, with only the counts and the widest label in memory, then printed after the output is
 * in place (so no file is reported before it exists). A report held in the heap (a result per VM with its notes and
 * file name) was what ran a restore of 100,000 VMs out of a 256 MiB heap (docs/architecture.md, "Memory"). The
 * lines hold what the report prints (names, origins, notes), never object contents.
 */
final class ResultSpool implements ResultPrinter.Items, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final Map<VmResult.Status, Integer> counts = new EnumMap<>(VmResult.Status.class);
    private int labelWidth;

    ResultSpool() {
        try {
            file = Files.createTempFile("vmconfig-report-", ".jsonl"); // 0600 on POSIX
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Adds one VM's line ({@code written}: the file it was written to, or null). */
    void add(VmResult r, String written) {
        try {
            out.write(Json.compact(ResultPrinter.item(r, written)));
            out.newLine();
        } catch (IOException e) {
            throw failed(e);
        }
        counts.merge(r.status(), 1, Integer::sum);
        labelWidth = Math.max(labelWidth, ResultPrinter.label(r).length());
    }

    @Override
    public void forEach(Consumer<ObjectNode> each) {
        try {
            out.flush();
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    each.accept((ObjectNode) Json.parse(line, "report"));
                }
            }
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public Map<VmResult.Status, Integer> counts() {
        return counts;
    }

    @Override
    public int labelWidth() {
        return labelWidth;
    }

    /** The exit code of the VMs reported, as {@link BatchOutput#exitCode} gives it for the same results. */
    int exitCode() {
        if (counts.containsKey(VmResult.Status.REFUSED)) {
            return ExitCodes.REFUSED;
        }
        return counts.keySet().stream().allMatch(s -> s == VmResult.Status.EXPORTED || s == VmResult.Status.RESTORED)
                ? ExitCodes.OK
                : ExitCodes.PARTIAL;
    }

    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: a leftover temporary report holds no object contents
        }
    }

    private static VmConfigException failed(IOException e) {
        return new VmConfigException(
                VmConfigException.Kind.IO, "cannot keep the report in a temporary file: " + e.getMessage(), e);
    }
}
