package io.vmconfig.app;

import io.vmconfig.cli.CliRunner;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The composition root: wires adapters to the core and hands the command line to picocli. */
public final class Main {
    private Main() {}

    /** Every subcommand, wired with its adapters. New commands are registered here and only here. */
    public static CliRunner runner() {
        return new CliRunner(List.of());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(runner().run(out, err, args));
    }
}
