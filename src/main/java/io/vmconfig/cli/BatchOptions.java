package io.vmconfig.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that write one file per VM: where, whether, and how to report. */
public final class BatchOptions {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
    Path out;

    @Option(names = "--dry-run", description = "show what would be written, write nothing")
    boolean dryRun;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "summary format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat output;
}
