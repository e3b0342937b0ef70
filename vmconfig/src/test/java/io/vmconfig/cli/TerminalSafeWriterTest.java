package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.testing.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

class TerminalSafeWriterTest {
    /** Prints its argument as a command would print a value read from a repository or a cluster. */
    @Command(name = "echo", header = "Prints its argument.")
    static final class Echo implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(description = "the text to print")
        String text;

        @Override
        public void run() {
            spec.commandLine().getOut().println(text);
            spec.commandLine().getErr().print(text);
        }
    }

    private static String[] run(String text) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        new CliRunner(List.of(new Echo())).run(new PrintWriter(out), new PrintWriter(err), "echo", text);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void escapeSequencesFromStoredDataReachTheTerminalAsVisibleText() {
        String[] printed = run("web-01\u001b[2J\u001b]0;owned\u0007\u202etxt.exe\r");
        assertThat(printed[0]).isEqualTo("web-01\\u001b[2J\\u001b]0;owned\\u0007\\u202etxt.exe\\u000d\n");
        assertThat(printed[1]).isEqualTo("web-01\\u001b[2J\\u001b]0;owned\\u0007\\u202etxt.exe\\u000d");
    }

    @Test
    void randomTextKeepsEverySafeCharacterAndNoUnsafeOne() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < 500; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(64); i > 0; i--) {
                sb.append((char) (random.nextBoolean() ? random.nextInt(0x40) : random.nextInt(0x3000)));
            }
            String text = sb.toString().replace("\n", "").replace("\u0000", "");
            if (text.isEmpty() || text.startsWith("-")) {
                continue;
            }
            String printed = run(text)[1];
            assertThat(printed.chars().filter(TerminalSafeWriter::unsafe))
                    .as("seed " + seed)
                    .isEmpty();
            assertThat(printed.replaceAll("\\\\u00[0-9a-f]{2}|\\\\u20[0-9a-f]{2}", ""))
                    .as("seed " + seed)
                    .isEqualTo(text.chars()
                            .filter(c -> !TerminalSafeWriter.unsafe(c))
                            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                            .toString()
                            .replaceAll("\\\\u00[0-9a-f]{2}|\\\\u20[0-9a-f]{2}", ""));
        }
    }

    @Test
    void theRealCommandLinePrintsThroughTheSameFilter() {
        Cli.Result r = Cli.run("sets", "--output=\u001b[31mtable");
        assertThat(r.err()).doesNotContain("\u001b").contains("\\u001b[31m");
    }
}
