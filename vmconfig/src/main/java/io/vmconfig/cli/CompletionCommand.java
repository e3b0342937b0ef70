package io.vmconfig.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints picocli's completion script for the whole command tree, generated from the same model as {@code --help}. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        header = "Prints a shell completion script for vmconfig's commands and options.",
        description = {
            "Load it in the current shell with 'source <(vmconfig completion bash)', or install it as",
            "/etc/bash_completion.d/vmconfig. zsh reads the same script after 'autoload -U bashcompinit && bashcompinit'."
        })
public final class CompletionCommand implements Callable<Integer> {
    /** The shells the generated script works in. */
    public enum Shell {
        bash,
        zsh
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "the shell to complete in: ${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        if (shell == Shell.zsh) {
            script = script.replaceFirst(
                    "^#!/usr/bin/env bash\n", "#compdef vmconfig\nautoload -U +X bashcompinit && bashcompinit\n");
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
