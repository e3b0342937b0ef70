package io.vmconfig.app;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.cli.ActivateCommand;
import io.vmconfig.cli.BackupCommand;
import io.vmconfig.cli.CliRunner;
import io.vmconfig.cli.CommandRunner;
import io.vmconfig.cli.DeactivateCommand;
import io.vmconfig.cli.DiffCommand;
import io.vmconfig.cli.DrillCommand;
import io.vmconfig.cli.ExportCommand;
import io.vmconfig.cli.HistoryCommand;
import io.vmconfig.cli.ImportCommand;
import io.vmconfig.cli.KeysCommand;
import io.vmconfig.cli.KubeConnector;
import io.vmconfig.cli.PlanCommand;
import io.vmconfig.cli.PruneCommand;
import io.vmconfig.cli.RepoCommand;
import io.vmconfig.cli.RepoEnvironment;
import io.vmconfig.cli.RestoreCommand;
import io.vmconfig.cli.SealCommand;
import io.vmconfig.cli.SetsCommand;
import io.vmconfig.cli.SyncCommand;
import io.vmconfig.cli.ShowCommand;
import io.vmconfig.cli.VerifyCommand;
import io.vmconfig.core.repo.RetryingBlobStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The composition root: wires adapters to the core and hands the command line to picocli. */
public final class Main {
    private Main() {}

    /** Every subcommand, wired with its adapters. New commands are registered here and only here. */
    public static CliRunner runner() {
        return runner(new RepoEnvironment(new RepoUrls(System.getenv(), RetryingBlobStore.REAL_SLEEP),
                Clock.systemUTC(), new SecureRandom()));
    }

    /** The same commands with the repository adapters, clock and randomness given (tests inject their own). */
    public static CliRunner runner(RepoEnvironment repo) {
        return runner(repo, KubeCluster::connect);
    }

    /** The same with the way to reach clusters given (tests count each cluster's requests through it). */
    public static CliRunner runner(RepoEnvironment repo, KubeConnector kube) {
        Supplier<UUID> uuids = UUID::randomUUID;
        return new CliRunner(List.of(
                new ExportCommand(),
                new RestoreCommand(uuids, repo, kube),
                new DrillCommand(args -> run(repo, kube, args)),
                new KeysCommand(repo),
                new RepoCommand(repo),
                new BackupCommand(repo, kube),
                new SetsCommand(repo),
                new HistoryCommand(repo),
                new ShowCommand(repo),
                new DiffCommand(repo),
                new VerifyCommand(repo),
                new PruneCommand(repo),
                new SealCommand(repo, kube),
                new PlanCommand(repo, kube, uuids),
                new SyncCommand(repo, kube, uuids),
                new ActivateCommand(kube, repo.clock()),
                new DeactivateCommand(kube, repo.clock()),
                new ImportCommand(uuids, kube, repo.clock())));
    }

    /** Runs one command line in-process with its output captured (the drill drives the real commands so). */
    static CommandRunner.Ran run(RepoEnvironment repo, KubeConnector kube, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = runner(repo, kube).run(new PrintWriter(out), new PrintWriter(err), args);
        return new CommandRunner.Ran(code, out.toString(), err.toString());
    }

    /** Library log noise that says nothing to a person (KubeVirt's v1beta1 instancetypes, S3Proxy's Jetty life). */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            quiet("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", java.util.logging.Level.OFF),
            quiet("org.gaul", java.util.logging.Level.WARNING));

    private static java.util.logging.Logger quiet(String name, java.util.logging.Level level) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(level);
        return l;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(runner().run(out, err, args));
    }
}
