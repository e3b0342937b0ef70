package io.vmconfig.service.sync;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.LeaderElection;
import io.vmconfig.adapters.log.LogOutput;
import io.vmconfig.adapters.metrics.SyncMetrics;
import io.vmconfig.core.sync.Backoff;
import io.vmconfig.core.sync.ControllerHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sync controller (the application service behind {@code vmconfig sync}): runs a {@link Pass} every interval on
 * its own thread while this replica may write (always, or while it holds the Lease), catches, logs and counts every
 * exception of a pass and retries it with {@link Backoff} (jitter from the injected random draw), and reports its
 * health ({@link ControllerHealth}). When the Lease is lost the write fence of the DR cluster closes at once, so a
 * pass that is still running writes nothing more.
 */
public final class SyncController {
    private static final Logger LOG = SyncPass.LOG;

    /** One pass; throws when it failed, returns false when it finished with some VMs not applied. */
    @FunctionalInterface
    public interface Pass {
        boolean run(long number);
    }

    /** Waits up to {@code d}; returns early when {@link #wake()} is called (production: a monitor wait). */
    public interface Sleeper {
        void sleep(Duration d, Object monitor) throws InterruptedException;

        // a spurious wakeup only starts the next pass early, and a pass that finds nothing new writes nothing
        @SuppressWarnings("WaitNotInLoop")
        Sleeper REAL = (d, monitor) -> {
            synchronized (monitor) {
                monitor.wait(Math.max(1, d.toMillis()));
            }
        };
    }

    private final Pass pass;
    private final Duration interval;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Sleeper sleeper;
    private final SyncMetrics metrics;
    private final Object monitor = new Object();
    private volatile boolean stopped;
    private volatile boolean started;
    private volatile boolean leading;
    private volatile Instant since;
    private volatile Instant lastFinished;
    private volatile Thread loop;
    private volatile CompletableFuture<?> elector;
    private volatile Thread electorThread;
    /** When this replica last wrote its Lease successfully (acquired or renewed it). */
    private volatile Instant renewed;
    /** When the elector last sent a Lease request or got any answer to one (null without leader election). */
    private volatile Instant leaseHeard;

    private volatile Duration electorAllowed;

    /** The Lease (namespace/name) and this replica's identity in it, once {@link #startElected} ran. */
    private volatile String currentLease = "";

    private volatile String currentIdentity = "";

    /** When a change was signalled that no pass has started to serve yet (null: none); guarded by monitor. */
    private Instant signalled;
    /** What the watch reports for health (none until {@link #watch} is given one). */
    private volatile java.util.function.Supplier<ControllerHealth.Watch> watch = () -> ControllerHealth.Watch.NONE;

    /** A burst of changes within this time makes one pass. */
    public static final Duration DEBOUNCE = Duration.ofSeconds(2);

    private long passes;
    /** Each leadership term has its own loop; a loop of an earlier term ends after its pass. */
    private volatile int term;

    public SyncController(
            Pass pass, Duration interval, Clock clock, DoubleSupplier random, Sleeper sleeper, SyncMetrics metrics) {
        this.pass = pass;
        this.interval = interval;
        this.clock = clock;
        this.random = random;
        this.sleeper = sleeper;
        this.metrics = metrics;
    }

    /** Without leader election: starts the loop and returns (see {@code awaitStop}). */
    public void startUnelected() {
        leading = true;
        metrics.leader(true);
        startLoop();
        started = true;
    }

    /**
     * With leader election on {@code lease}: the loop runs while this replica leads. {@code dr}'s write fence is
     * open only while this replica leads <em>and</em> its last successful write of the Lease (acquire or renew, seen
     * by the {@code ApiMeter}) is younger than the renew deadline: so writing stops within one renew deadline of the
     * last renewal, before the Lease can expire for another replica, whatever fabric8's elector is doing. After a
     * loss the elector is started again, so this replica stands by for the next term.
     */
    public void startElected(
            KubeCluster dr, String namespace, String lease, String identity, LeaderElection.Timing timing) {
        dr.meter().listener(new io.vmconfig.adapters.kube.ApiMeter.Listener() {
            @Override
            public void request(io.vmconfig.adapters.kube.ApiRequest r) {
                if (r.resource().equals("leases") && namespace.equals(r.namespace())) {
                    leaseHeard = clock.instant(); // the elector is working, whatever comes back
                }
            }

            @Override
            public void response(io.vmconfig.adapters.kube.ApiRequest r, int code) {
                if (r.resource().equals("leases") && namespace.equals(r.namespace())) {
                    leaseHeard = clock.instant(); // any answer, a failure too (code 0: no connection)
                }
                if (code >= 200
                        && code < 300
                        && r.resource().equals("leases")
                        && namespace.equals(r.namespace())
                        // an update names the Lease; the create that acquires it first names none in its path
                        && (lease.equals(r.name()) || (r.verb().equals("create") && r.name() == null))
                        && !r.verb().equals("get")) {
                    renewed = clock.instant();
                }
            }
        });
        leaseHeard = clock.instant();
        electorAllowed = timing.lease().multipliedBy(ControllerHealth.ELECTOR_QUIET_LEASES);
        currentLease = namespace + "/" + lease;
        currentIdentity = identity;
        dr.fence(() -> leading && !stopped && renewedWithin(timing.renew()));
        Thread t = new Thread(
                () -> {
                    while (!stopped) {
                        CompletableFuture<?> f = elect(dr, namespace, lease, identity, timing);
                        elector = f;
                        try {
                            awaitTerm(f, timing);
                        } catch (java.util.concurrent.CancellationException
                                | java.util.concurrent.ExecutionException e) {
                            // lost, released or failed: stand by again unless stopping
                        } catch (InterruptedException e) {
                            return;
                        }
                        try {
                            sleeper.sleep(timing.retry(), monitor);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "vmconfig-sync-elector");
        t.setDaemon(true);
        electorThread = t;
        t.start();
        started = true;
    }

    /**
     * Waits for the elector's term to end, and ends it here when the Lease was not renewed within the renew deadline
     * (the fence is closed by then): fabric8's elector reports a loss on its own schedule, which may be late while
     * its requests retry, and until it does this replica would count itself leader, keep its loop and report
     * {@code vmconfig_sync_leader 1} although it may no longer write.
     */
    private void awaitTerm(CompletableFuture<?> f, LeaderElection.Timing timing)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        while (true) {
            try {
                f.get(Math.max(1, timing.retry().toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                if (leading && !stopped && !renewedWithin(timing.renew())) {
                    lost(
                            currentLease,
                            currentIdentity,
                            "no renewal of the Lease for " + timing.renew().toMillis() + " ms");
                    f.cancel(true);
                    return;
                }
            }
        }
    }

    /**
     * Whether this replica wrote its Lease within {@code deadline} (the renew deadline): the one rule behind both the
     * write fence and the end of a term that the elector did not report.
     */
    private boolean renewedWithin(Duration deadline) {
        Instant last = renewed;
        return last != null && Duration.between(last, clock.instant()).compareTo(deadline) < 0;
    }

    /** This replica no longer leads: the loop ends after its pass and the fence stays closed (idempotent). */
    private void lost(String lease, String identity, String why) {
        boolean was = leading;
        leading = false;
        metrics.leader(false);
        wake();
        if (was) {
            log(
                    Level.WARNING,
                    "lost the Lease " + lease + ": writing stopped",
                    Map.of("identity", identity, "reason", why),
                    null);
        }
    }

    private CompletableFuture<?> elect(
            KubeCluster dr, String namespace, String lease, String identity, LeaderElection.Timing timing) {
        return LeaderElection.start(
                dr,
                namespace,
                lease,
                identity,
                timing,
                () -> {
                    leading = true;
                    metrics.leader(true);
                    log(
                            Level.INFO,
                            "leading: this replica holds the Lease " + namespace + "/" + lease,
                            Map.of("identity", identity),
                            null);
                    startLoop();
                },
                () -> lost(namespace + "/" + lease, identity, "the elector gave up the Lease"),
                leader -> log(Level.INFO, "the leader is " + leader, Map.of("leader", String.valueOf(leader)), null));
    }

    private synchronized void startLoop() {
        since = clock.instant();
        int mine = ++term;
        Thread t = new Thread(() -> runLoop(mine), "vmconfig-sync-loop-" + mine);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> log(Level.SEVERE, "the sync loop died", Map.of(), e));
        loop = t;
        t.start();
    }

    /**
     * Work arrived (the watch saw a new request or a changed spec; {@code why} for the log): the next pass runs
     * {@link #DEBOUNCE} from now instead of at the end of the interval ({@link Backoff#due}). A pass that starts
     * after the signal serves it, since each pass reads everything afresh.
     */
    public void signal(String why) {
        if (!leading) {
            return; // a standby runs no loop; the replica that takes over starts with a pass
        }
        synchronized (monitor) {
            if (signalled == null) {
                signalled = clock.instant();
                log(Level.INFO, "change seen: next pass in " + DEBOUNCE.toSeconds() + "s", Map.of("change", why), null);
            }
            monitor.notifyAll();
        }
    }

    /** The watch's state, for {@code /healthz}. */
    public void watch(java.util.function.Supplier<ControllerHealth.Watch> state) {
        this.watch = state;
    }

    /** The loop: pass, wait (interval, or backoff after a failure), until stopped or no longer leading. */
    void runLoop(int mine) {
        int failures = 0;
        while (!stopped && leading && term == mine) {
            long number;
            synchronized (this) {
                number = ++passes;
            }
            synchronized (monitor) {
                signalled = null; // this pass reads everything: it serves every change signalled so far
            }
            Instant start = clock.instant();
            String result;
            Throwable error = null;
            try {
                result = pass.run(number) ? "success" : "partial";
            } catch (RuntimeException e) {
                result = "error";
                error = e;
            }
            Instant end = clock.instant();
            lastFinished = end;
            failures = result.equals("success") ? 0 : failures + 1;
            metrics.pass(result, Duration.between(start, end), end, failures);
            Duration wait = Backoff.next(failures, interval, random.getAsDouble());
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("pass", number);
            f.put("result", result);
            f.put("durationSeconds", Duration.between(start, end).toMillis() / 1000.0);
            f.put("nextInSeconds", wait.toMillis() / 1000.0);
            if (error != null) {
                f.put("failuresInARow", failures);
                log(Level.SEVERE, "sync pass failed; retrying with backoff", f, error);
            } else {
                log(result.equals("success") ? Level.INFO : Level.WARNING, "sync pass finished", f, null);
            }
            if (stopped || !leading || term != mine) {
                return;
            }
            try {
                await(end.plus(wait), end, failures, mine);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits until {@code regular}, or less when a change is signalled ({@link Backoff#due}). The signal is read and
     * the sleep begun under the monitor, so a signal cannot slip in between; a wake-up without a signal (stop, lost
     * Lease, spurious) ends the wait, as the loop checks those before the next pass.
     */
    private void await(Instant regular, Instant end, int failures, int mine) throws InterruptedException {
        boolean first = true;
        while (!stopped && leading && term == mine) {
            synchronized (monitor) {
                Instant s = signalled;
                if (!first && s == null) {
                    return;
                }
                Instant due = s == null ? regular : Backoff.due(regular, end, failures, s, DEBOUNCE);
                Duration left = Duration.between(clock.instant(), due);
                if (left.isNegative() || left.isZero()) {
                    return;
                }
                first = false;
                sleeper.sleep(left, monitor);
            }
        }
    }

    /** Ends the loop after the current pass and releases the Lease (the JVM's shutdown hook calls it too). */
    public void stop() {
        stopped = true;
        wake();
        CompletableFuture<?> e = elector;
        if (e != null) {
            e.cancel(true); // releases the Lease so that the other replica takes over at once
        }
    }

    /** Waits until the loop thread ended after {@link #stop()} (bounded: a pass in flight is not interrupted). */
    public void join(Duration max) throws InterruptedException {
        Thread t = loop;
        if (t != null) {
            t.join(Math.max(1, max.toMillis()));
        }
    }

    private void wake() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    public boolean leading() {
        return leading;
    }

    public ControllerHealth.Status status() {
        Thread t = loop;
        Thread et = electorThread;
        return new ControllerHealth.Status(
                started,
                et == null || et.isAlive() || stopped,
                leading,
                t != null && t.isAlive(),
                since == null ? clock.instant() : since,
                lastFinished,
                watch.get(),
                new ControllerHealth.ElectorActivity(leaseHeard, electorAllowed));
    }

    public ControllerHealth.Verdict liveness() {
        return ControllerHealth.liveness(status(), clock.instant(), interval);
    }

    public ControllerHealth.Verdict readiness() {
        return ControllerHealth.readiness(status());
    }

    private static void log(Level level, String message, Map<String, ?> fields, Throwable error) {
        LogOutput.log(LOG, level, message, fields, error);
    }
}
