package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.app.Main;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.HelpAudit;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class HelpTest {
    @Test
    void everyCommandSummaryIsOneSentenceAndEveryOptionIsDescribed() {
        var cl = Main.runner().commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(HelpAudit.findings(cl)).isEmpty();
    }

    @Test
    void theCommandListShowsEachSummaryWhole() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.code()).isZero();
        var cl = Main.runner().commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (var sub : cl.getSubcommands().values()) {
            String summary = HelpAudit.summary(sub.getCommandSpec());
            String listed = help.out().replaceAll("\\s+", " ");
            assertThat(listed).as(sub.getCommandName()).contains(summary.replaceAll("\\s+", " "));
        }
    }

    @Test
    void descriptionsArePrintedAsParagraphsNotCutAtSourceLineBreaks() {
        Cli.Result help = Cli.run("sync", "--help");
        assertThat(help.code()).isZero();
        var cl = Main.runner().commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (var sub : cl.getSubcommands().values()) {
            for (String paragraph : sub.getCommandSpec().usageMessage().description()) {
                assertThat(paragraph.isEmpty() || paragraph.matches("(?s).*[.:)]$"))
                        .as(sub.getCommandName() + ": " + paragraph)
                        .isTrue();
            }
        }
        String[] lines = help.out().split("\\R");
        for (int i = 0; i + 1 < lines.length; i++) {
            assertThat(lines[i] + " / " + lines[i + 1]).doesNotMatch("^\\S.{0,40} / (?!Usage:)\\S.*");
        }
    }

    @Test
    void bashCompletionCompletesCommandsAndTheirOptions() {
        Cli.Result completion = Cli.run("completion", "bash");
        assertThat(completion.code()).isZero();
        assertThat(completion.out())
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_vmconfig")
                .contains("restore")
                .contains("--allow-rollback")
                .contains("keys")
                .contains("generate");
    }

    @Test
    void completionForAnUnknownShellIsAUsageError() {
        Cli.Result completion = Cli.run("completion", "tcsh");
        assertThat(completion.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(completion.err()).contains("tcsh");
    }
}
