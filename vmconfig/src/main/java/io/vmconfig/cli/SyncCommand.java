package io.vmconfig.cli;

import io.vmconfig.adapters.http.MetricsServer;
import io.vmconfig.adapters.kube.DrSync;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.LeaderElection;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.sync.SyncAction;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vmconfig sync}: the scheduled DR restore as a long-running controller. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Applies the latest set into the DR cluster every --interval (as 'restore --context'; a set",
            "that changed nothing writes nothing). Leader election on a Lease; /metrics and /healthz on --port."})
public final class SyncCommand extends RepoReadCommand {
    public static final String LEASE = "vmconfig-sync";
    private final KubeConnector connector;
    private final Supplier<UUID> uuids;
    private final SyncMetrics metrics;
    private final CountDownLatch stop = new CountDownLatch(1);

    @Mixin
    DrTarget target;

    @Option(names = "--interval", defaultValue = "5m", paramLabel = "DURATION", description = "(default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--once", description = "one pass, then exit with restore's exit code")
    boolean once;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "port of /metrics and /healthz, 0 for any, -1 for none (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--leader-elect", negatable = true, defaultValue = "true",
            description = "take the Lease " + LEASE + " in --state-namespace before syncing (default: ${DEFAULT-VALUE})")
    boolean leaderElect;

    @Option(names = "--identity", paramLabel = "NAME", description = "leader identity (default: $HOSTNAME or a UUID)")
    String identity;

    public SyncCommand(RepoEnvironment env, KubeConnector connector, Supplier<UUID> uuids) {
        super(env);
        this.connector = connector;
        this.uuids = uuids;
        this.metrics = new SyncMetrics(env.clock());
    }

    /** Ends the loop after the current pass (the JVM's shutdown hook calls it too). */
    public void stop() {
        stop.countDown();
    }

    @Override
    public Integer call() {
        Duration every = Durations.parse(interval, "--interval");
        try (KubeCluster dr = target.kube.connect(connector)) {
            DrSync sync = target.sync(dr, uuids, env.clock(), false);
            if (once) {
                return pass(sync);
            }
            Thread hook = new Thread(this::stop, "vmconfig-sync-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try (MetricsServer server = port < 0 ? null : new MetricsServer(port, metrics::render, () -> true)) {
                if (server != null) {
                    err().println("metrics on :" + server.port() + "/metrics");
                }
                if (!leaderElect) {
                    loop(sync, every);
                } else {
                    elected(dr, sync, every);
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: the JVM is going down anyway
                }
            }
            return ExitCodes.OK;
        }
    }

    private void elected(KubeCluster dr, DrSync sync, Duration every) {
        String me = identity != null ? identity : System.getenv().getOrDefault("HOSTNAME", UUID.randomUUID().toString());
        CountDownLatch lost = new CountDownLatch(1);
        Future<?> elector = LeaderElection.start(dr, target.kube.stateNamespace, LEASE, me,
                LeaderElection.Timing.DEFAULT, () -> {
                    metrics.leader(true);
                    err().println(me + ": leading");
                    Thread t = new Thread(() -> loopUntil(sync, every, lost), "vmconfig-sync-loop");
                    t.setDaemon(true);
                    t.start();
                }, () -> {
                    metrics.leader(false);
                    lost.countDown();
                }, leader -> err().println("leader: " + leader));
        boolean interrupted = false;
        try {
            stop.await();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        lost.countDown();
        elector.cancel(true); // releases the Lease (an HTTP call: not on an interrupted thread)
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loopUntil(DrSync sync, Duration every, CountDownLatch lost) {
        while (lost.getCount() > 0 && stop.getCount() > 0) {
            passLogged(sync);
            try {
                if (lost.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void loop(DrSync sync, Duration every) {
        do {
            passLogged(sync);
            try {
                if (stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (true);
    }

    private void passLogged(DrSync sync) {
        try {
            pass(sync);
        } catch (VmConfigException e) {
            metrics.failedPass();
            err().println("sync pass failed (" + e.kind() + "): " + e.getMessage());
        }
    }

    private int pass(DrSync sync) {
        DrSync.Report r = sync.plan(repo.reader(env), target.set, target.pruneDeleted);
        DrSync.Applied applied = sync.apply(r, new ProgressPrinter(err()));
        metrics.record(r, applied);
        Map<SyncAction, Integer> c = PlanPrinter.counts(r.plans());
        err().println("set " + r.setId() + ": " + c + ", objects written " + applied.objectsWritten());
        if (once) {
            PlanPrinter.print(out(), output, r, applied);
        }
        return DrTarget.exitCode(r, applied);
    }
}
