package io.vmconfig.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every repository command has: the injected environment, the repository options and {@code -o}. */
abstract class RepoReadCommand implements Callable<Integer> {
    final RepoEnvironment env;

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions repo;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            paramLabel = "FORMAT",
            description = "summary format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    RepoReadCommand(RepoEnvironment env) {
        this.env = env;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
