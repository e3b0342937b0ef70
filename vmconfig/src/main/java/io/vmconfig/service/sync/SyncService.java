package io.vmconfig.service.sync;

import io.vmconfig.adapters.http.MetricsServer;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.ApiMeter;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeEvents;
import io.vmconfig.adapters.kube.LeaderElection;
import io.vmconfig.adapters.metrics.SyncMetrics;
import io.vmconfig.core.repo.RepoReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The {@code sync} use case, wired to one DR cluster: its metrics (fed by the cluster's {@link ApiMeter}), its Events
 * ({@link KubeEvents}, one recorder for every pass), the passes ({@link SyncPass}) and the controller loop
 * ({@link SyncController} with leader election and {@code /metrics}, {@code /healthz}, {@code /readyz}). The command
 * parses options, builds the {@link DrSync}, and prints.
 */
public final class SyncService {
    private final KubeCluster dr;
    private final SyncMetrics metrics;
    private final Optional<KubeEvents> events;
    private final Clock clock;
    private final String stateNamespace;
    private final String lease;
    private final boolean controller;

    /**
     * {@code identity}: this replica (Events' host, the Lease holder); {@code controller}: passes run in a loop (not
     * {@code --once}), as {@link SyncPass} records it.
     */
    public SyncService(
            KubeCluster dr,
            String version,
            Clock clock,
            String stateNamespace,
            String lease,
            String identity,
            boolean events,
            boolean controller) {
        this.dr = dr;
        SyncMetrics metrics = new SyncMetrics(version);
        this.metrics = metrics;
        this.clock = clock;
        this.stateNamespace = stateNamespace;
        this.lease = lease;
        this.controller = controller;
        dr.meter().listener(new ApiMeter.Listener() {
            @Override
            public void request(ApiRequest r) {
                metrics.apiRequest(r.verb());
            }

            @Override
            public void response(ApiRequest r, int code) {
                metrics.apiResponse(r.verb(), code);
            }
        });
        this.events = events ? Optional.of(new KubeEvents(dr, clock, identity)) : Optional.empty();
    }

    /** The controller's metrics (one registry per controller). */
    public SyncMetrics metrics() {
        return metrics;
    }

    /**
     * {@code --config-sync}: the ConfigSync objects of the DR cluster drive the passes ({@code passes}, each made with
     * {@link #pass}) and get their status; the DR site's activation state is this service's.
     */
    public ConfigSyncRunner configSyncs(
            Supplier<java.util.UUID> uuids,
            ConfigSyncRunner.RepoAccess access,
            ConfigSyncRunner.Passes passes,
            java.util.function.Function<String, Duration> durations) {
        return new ConfigSyncRunner(
                dr, new ActivationState(dr, stateNamespace, clock), uuids, clock, access, passes, durations);
    }

    /** {@code --config-restores}: tenants' ConfigRestore requests, run with this service's activation state. */
    public ConfigRestoreRunner configRestores(Supplier<java.util.UUID> uuids, ConfigSyncRunner.RepoAccess access) {
        return new ConfigRestoreRunner(dr, new ActivationState(dr, stateNamespace, clock), uuids, clock, access);
    }

    /** One pass of {@code sync} over {@code set} of the repository. */
    public SyncPass pass(DrSync sync, Supplier<RepoReader> repo, String set, boolean pruneDeleted) {
        return new SyncPass(sync, repo, set, pruneDeleted, events, stateNamespace, lease, metrics, clock, controller);
    }

    /**
     * The controller: {@code passes} every {@code every} while this replica may write (holds the Lease with
     * {@code leaderElect}), until {@code stop} counts down (the JVM's shutdown hook does too). {@code created} is
     * given the controller before it starts, {@code started} the controller and the metrics port (-1: none) once it
     * runs. {@code watch}: the inputs whose changes wake the loop at once ({@link ChangeWatch}; empty: it only polls).
     */
    public void loop(
            SyncController.Pass passes,
            java.util.List<ChangeWatch.Target> watch,
            Duration every,
            DoubleSupplier random,
            int port,
            boolean leaderElect,
            String identity,
            CountDownLatch stop,
            Consumer<SyncController> created,
            java.util.function.ObjIntConsumer<SyncController> started) {
        SyncController c = new SyncController(passes, every, clock, random, SyncController.Sleeper.REAL, metrics);
        created.accept(c);
        // opened before the first pass, so that what that pass reads is not news to the watch
        ChangeWatch changes = watch.isEmpty() ? null : new ChangeWatch(dr, watch, c::signal, metrics, random).start();
        if (changes != null) {
            c.watch(changes::status);
        }
        Thread hook = new Thread(
                () -> {
                    c.stop();
                    stop.countDown();
                },
                "vmconfig-sync-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (MetricsServer server =
                port < 0 ? null : new MetricsServer(port, metrics::render, c::liveness, c::readiness)) {
            if (leaderElect) {
                c.startElected(dr, stateNamespace, lease, identity, LeaderElection.Timing.DEFAULT);
            } else {
                c.startUnelected();
            }
            started.accept(c, server == null ? -1 : server.port());
            stop.await();
            c.stop();
            c.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            c.stop();
            Thread.currentThread().interrupt();
        } finally {
            if (changes != null) {
                changes.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM is going down anyway
            }
        }
    }
}
