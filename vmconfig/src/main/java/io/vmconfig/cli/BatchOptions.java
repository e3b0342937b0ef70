package io.vmconfig.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that write one file per VM: where, whether, and how to report. */
public final class BatchOptions {
    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "output folder (restore: or --context to write into a cluster)")
    Path out;

    @Option(names = "--dry-run", description = "show what would be written, write nothing")
    boolean dryRun;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            paramLabel = "FORMAT",
            description = "summary format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    /** The output folder; required wherever files are written. */
    Path out() {
        if (out == null) {
            throw io.vmconfig.core.VmConfigException.config("--out DIR is required");
        }
        return out;
    }
}
