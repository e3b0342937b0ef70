package io.vmconfig.app;

import io.vmconfig.cli.CliRunner;
import io.vmconfig.cli.DrillCommand;
import io.vmconfig.cli.ExportCommand;
import io.vmconfig.cli.RestoreCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The composition root: wires adapters to the core and hands the command line to picocli. */
public final class Main {
    private Main() {}

    /** Every subcommand, wired with its adapters. New commands are registered here and only here. */
    public static CliRunner runner() {
        Supplier<UUID> uuids = UUID::randomUUID;
        return new CliRunner(List.of(
                new ExportCommand(),
                new RestoreCommand(uuids),
                new DrillCommand(uuids)));
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(runner().run(out, err, args));
    }
}
