package io.vmconfig.app;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.cli.ActivateCommand;
import io.vmconfig.cli.BackupCommand;
import io.vmconfig.cli.CliRunner;
import io.vmconfig.cli.CompletionCommand;
import io.vmconfig.cli.DeactivateCommand;
import io.vmconfig.cli.DiffCommand;
import io.vmconfig.cli.ExportCommand;
import io.vmconfig.cli.FailbackCommand;
import io.vmconfig.cli.HistoryCommand;
import io.vmconfig.cli.ImportCommand;
import io.vmconfig.cli.KeysCommand;
import io.vmconfig.cli.KubeConnector;
import io.vmconfig.cli.MapCommand;
import io.vmconfig.cli.PlanCommand;
import io.vmconfig.cli.PruneCommand;
import io.vmconfig.cli.RepoCommand;
import io.vmconfig.cli.RepoEnvironment;
import io.vmconfig.cli.RestoreCommand;
import io.vmconfig.cli.SealCommand;
import io.vmconfig.cli.SetsCommand;
import io.vmconfig.cli.ShowCommand;
import io.vmconfig.cli.SyncCommand;
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
        return runner(environment());
    }

    /** The real repository adapters (S3 or folder by URL), the system clock and a secure random source. */
    public static RepoEnvironment environment() {
        return new RepoEnvironment(
                new RepoUrls(System.getenv(), RetryingBlobStore.REAL_SLEEP), Clock.systemUTC(), new SecureRandom());
    }

    /** The same commands with the repository adapters, clock and randomness given (tests inject their own). */
    public static CliRunner runner(RepoEnvironment repo) {
        return runner(repo, KubeCluster::connect);
    }

    /** The same with the way to reach clusters given (tests count each cluster's requests through it). */
    public static CliRunner runner(RepoEnvironment repo, KubeConnector kube) {
        return new CliRunner(commands(repo, kube));
    }

    /** The product's subcommands; the drill's composition root (vmconfig-drill) adds {@code drill} to them. */
    public static List<Object> commands(RepoEnvironment repo, KubeConnector kube) {
        Supplier<UUID> uuids = UUID::randomUUID;
        return List.of(
                new ExportCommand(),
                new RestoreCommand(uuids, repo, kube),
                new KeysCommand(repo),
                new RepoCommand(repo),
                new BackupCommand(repo, kube),
                new SetsCommand(repo),
                new HistoryCommand(repo, kube),
                new ShowCommand(repo),
                new DiffCommand(repo),
                new VerifyCommand(repo),
                new PruneCommand(repo),
                new SealCommand(repo, kube),
                new PlanCommand(repo, kube, uuids),
                new SyncCommand(repo, kube, uuids),
                new ActivateCommand(kube, repo.clock()),
                new DeactivateCommand(kube, repo.clock()),
                new ImportCommand(uuids, kube, repo.clock()),
                new MapCommand(),
                new FailbackCommand(new FailbackWiring(repo, kube, uuids)),
                new CompletionCommand());
    }

    /** Library log noise that says nothing to a person (KubeVirt's v1beta1 instancetypes). */
    @SuppressWarnings("unused") // held: java.util.logging keeps only weak references, and the level must stay
    private static final List<java.util.logging.Logger> QUIET =
            List.of(quiet("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", java.util.logging.Level.OFF));

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
