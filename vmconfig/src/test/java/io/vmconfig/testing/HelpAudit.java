package io.vmconfig.testing;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code --help} promises a reader, checked over a whole command tree: each command's summary (the line the
 * parent's command list shows) is one complete sentence, and every option and parameter says what it is for.
 */
public final class HelpAudit {
    private HelpAudit() {}

    /** Every finding, one line each, naming the command and the option; empty when the help is complete. */
    public static List<String> findings(CommandLine root) {
        List<String> out = new ArrayList<>();
        walk(root, out);
        return out;
    }

    private static void walk(CommandLine cl, List<String> out) {
        CommandSpec spec = cl.getCommandSpec();
        String name = spec.qualifiedName();
        String summary = summary(spec);
        if (summary.isBlank()) {
            out.add(name + ": no summary");
        } else if (!summary.endsWith(".")) {
            out.add(name + ": summary is not a complete sentence: '" + summary + "'");
        } else if (summary.indexOf(". ") > 0 && summary.indexOf(". ") < summary.length() - 1) {
            out.add(name + ": summary is more than one sentence: '" + summary + "'");
        }
        for (ArgSpec arg : spec.args()) {
            if (arg instanceof CommandLine.Model.OptionSpec o && (o.usageHelp() || o.versionHelp())) {
                continue;
            }
            if (!saysWhatItIsFor(arg)) {
                out.add(name + ": " + label(arg) + " has no description");
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            walk(sub, out);
        }
    }

    /** True when the description has words of its own besides the default value and the list of candidates. */
    private static boolean saysWhatItIsFor(ArgSpec arg) {
        String text = String.join(" ", arg.description());
        if (arg.defaultValue() != null) {
            text = text.replace(arg.defaultValue(), "");
        }
        if (arg.completionCandidates() != null) {
            for (String candidate : arg.completionCandidates()) {
                text = text.replace(candidate, "");
            }
        }
        text = text.replace("default:", "");
        return text.replaceAll("[^\\p{L}]+", " ").trim().split(" ").length >= 2;
    }

    /** The line picocli lists for a subcommand: the header when there is one, else the description's first line. */
    public static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] lines = header.length > 0 ? header : spec.usageMessage().description();
        return lines.length == 0 ? "" : lines[0].trim();
    }

    private static String label(ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
    }
}
