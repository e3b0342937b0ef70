package io.vmconfig.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The plugin's runtime as its launcher unpacked it into a scratch folder (one start of the plugin there). */
public final class UnpackedRuntime {
    private UnpackedRuntime() {}

    /**
     * Inserts {@code opts} into the unpacked runtime's jvm.args after the built JVM options (before the class path), so
     * they win over them: the way bench/plugin-startup --jvm-opt and the ITs give a real plugin process extra options.
     */
    public static void addJvmOptions(Path scratch, List<String> opts) throws IOException {
        List<Path> dirs;
        try (var l = Files.list(scratch)) {
            dirs = l.filter(d -> d.getFileName().toString().startsWith("vmconfig-plugin-"))
                    .toList();
        }
        if (dirs.size() != 1) {
            throw new IllegalStateException("expected one unpacked runtime in " + scratch + ", found " + dirs);
        }
        Path args = dirs.get(0).resolve("jvm.args");
        List<String> lines = new ArrayList<>(Files.readAllLines(args));
        int cp = lines.indexOf("-cp");
        if (cp < 0) {
            throw new IllegalStateException("no -cp line in " + args);
        }
        lines.addAll(cp, opts);
        Files.write(args, lines);
    }
}
