package io.vmconfig.cli;

import io.vmconfig.core.VmConfigException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** Builds the command line from the root and its subcommands, and maps failures to exit codes in one place. */
public final class CliRunner {
    private final List<Object> subcommands;

    public CliRunner(List<Object> subcommands) {
        this.subcommands = List.copyOf(subcommands);
    }

    public CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new VmconfigCommand());
        // plain text like kubectl's; escapes of our own would be escaped by the writers below anyway
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        for (Object sub : subcommands) {
            cl.addSubcommand(sub);
        }
        asParagraphs(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> t instanceof VmConfigException v ? ExitCodes.of(v) : ExitCodes.INTERNAL);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine()
                    .getErr()
                    .println("See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof VmConfigException v) {
                e.println("error: " + v.getMessage());
                return ExitCodes.of(v);
            }
            e.println("internal error: " + ex);
            return ExitCodes.INTERNAL;
        });
        return cl;
    }

    /**
     * Commands write their descriptions as source lines of one paragraph (an empty element starts the next one);
     * picocli would print each element as a line of its own and cut sentences at the source's line breaks, so the
     * lines are joined here and picocli wraps each paragraph to the terminal.
     */
    private static void asParagraphs(CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        List<String> paragraphs = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : usage.description()) {
            if (line.isBlank()) {
                if (current.length() > 0) {
                    paragraphs.add(current.toString());
                    current.setLength(0);
                }
                paragraphs.add("");
            } else {
                current.append(current.length() > 0 ? " " : "").append(line.trim());
            }
        }
        if (current.length() > 0) {
            paragraphs.add(current.toString());
        }
        usage.description(paragraphs.toArray(String[]::new));
        cl.getSubcommands().values().forEach(CliRunner::asParagraphs);
    }

    public int run(PrintWriter out, PrintWriter err, String... args) {
        PrintWriter safeOut = new PrintWriter(new TerminalSafeWriter(out), true);
        PrintWriter safeErr = new PrintWriter(new TerminalSafeWriter(err), true);
        try {
            return commandLine(safeOut, safeErr).execute(args);
        } finally {
            safeOut.flush();
            safeErr.flush();
        }
    }
}
