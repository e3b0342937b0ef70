package io.vmconfig.drill;

import java.io.PrintWriter;

/** Runs one drill step through the real command line and shows the command and what it printed. */
final class Step {
    private final CommandRunner vmconfig;
    private final PrintWriter out;

    Step(CommandRunner vmconfig, PrintWriter out) {
        this.vmconfig = vmconfig;
        this.out = out;
    }

    CommandRunner.Ran run(String title, String... args) {
        if (!title.isEmpty()) {
            out.println();
            out.println(title);
        }
        out.println("   $ vmconfig " + String.join(" ", args));
        CommandRunner.Ran r = vmconfig.run(args);
        indent(r.out());
        indent(r.err());
        out.flush();
        return r;
    }

    private void indent(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.println("     " + line);
            }
        }
    }
}
