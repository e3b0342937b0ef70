package io.vmconfig.service.sync;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.adapters.kube.KubeWatch;
import io.vmconfig.adapters.log.LogOutput;
import io.vmconfig.adapters.metrics.SyncMetrics;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.sync.Backoff;
import io.vmconfig.core.sync.ChangeSignal;
import io.vmconfig.core.sync.ControllerHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;

/**
 * Wakes the sync loop when its inputs change on the DR cluster (a ConfigRestore created or its spec changed, a
 * ConfigSync or VolumeMap changed), so that the controller does not wait up to {@code --interval} for work. The
 * watches ({@link KubeWatch}) only report; {@link ChangeSignal} decides what is work; the loop ({@code signal})
 * decides when to run. A watch that fails is logged (one JSON line), counted ({@code
 * vmconfig_sync_watch_failures_total}), shown by {@code /healthz} (reason POLLING) and opened again with
 * {@link Backoff} (capped at {@link #RETRY_CAP}); meanwhile the loop keeps its interval, and once the watch is back
 * a pass runs at once, as changes made while it was down were not seen.
 */
public final class ChangeWatch implements AutoCloseable {
    /** The longest wait between two attempts to open a failed watch. */
    public static final Duration RETRY_CAP = Duration.ofMinutes(5);

    /** What to watch: {@code kind} in {@code namespace} (null: every namespace). */
    public record Target(KubeKind kind, String namespace) {
        String name() {
            return kind.plural() + (namespace == null ? "" : " in " + namespace);
        }
    }

    /**
     * What a controller watches: tenants' ConfigRestores everywhere (with {@code configRestores}), and the ConfigSyncs
     * and VolumeMaps in each namespace of {@code configSyncNamespaces} (where the ConfigSyncs it runs live).
     */
    public static List<Target> targets(boolean configRestores, java.util.Collection<String> configSyncNamespaces) {
        List<Target> out = new ArrayList<>();
        if (configRestores) {
            out.add(new Target(KubeKind.CONFIG_RESTORE, null));
        }
        for (String ns : new java.util.TreeSet<>(configSyncNamespaces)) {
            out.add(new Target(KubeKind.CONFIG_SYNC, ns));
            out.add(new Target(KubeKind.VOLUME_MAP, ns));
        }
        return out;
    }

    private final KubeCluster dr;
    private final List<Target> targets;
    private final Consumer<String> signal;
    private final SyncMetrics metrics;
    private final DoubleSupplier random;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Map<Target, KubeWatch> open = new ConcurrentHashMap<>();
    private final Map<Target, String> failed = new ConcurrentHashMap<>();
    private final Map<Target, Integer> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries;
    private volatile boolean closed;

    public ChangeWatch(
            KubeCluster dr, List<Target> targets, Consumer<String> signal, SyncMetrics metrics, DoubleSupplier random) {
        this.dr = dr;
        this.targets = List.copyOf(targets);
        this.signal = signal;
        this.metrics = metrics;
        this.random = random;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vmconfig-sync-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens every watch; one that cannot open is reported as failed and tried again later (never thrown). */
    public ChangeWatch start() {
        targets.forEach(t -> open(t, false));
        return this;
    }

    /** One attempt to watch a target: its watch once open, and whether it failed (reported once). */
    private static final class Attempt {
        KubeWatch watch;
        boolean dead;
    }

    /** Not under the lock while opening: the client's threads report a failure through the same lock. */
    private void open(Target t, boolean again) {
        if (closed) {
            return;
        }
        Attempt a = new Attempt();
        KubeWatch w;
        try {
            w = KubeWatch.start(dr, t.kind(), t.namespace(), listener(t, a));
        } catch (VmConfigException e) {
            failed(t, e);
            return;
        } catch (RuntimeException e) { // the client's own failure outside an API answer: still only a failed watch
            failed(t, new VmConfigException(VmConfigException.Kind.TRANSIENT, "watch " + t.name() + ": " + e, e));
            return;
        }
        synchronized (this) {
            if (a.dead || closed) {
                w.close(); // it failed already (reported, retry scheduled), or we are closing
                return;
            }
            a.watch = w;
            open.put(t, w);
            failed.remove(t);
            failures.remove(t);
        }
        metrics.watch(t.kind().plural(), true);
        if (again) {
            log(Level.INFO, "watch of " + t.name() + " is back", fields(t, null), null);
            signal.accept("watch of " + t.name() + " resumed: changes made meanwhile were not seen");
        }
    }

    private KubeWatch.Listener listener(Target t, Attempt a) {
        return new KubeWatch.Listener() {
            @Override
            public void changed(ChangeSignal.Change c) {
                ChangeSignal.Decision d = ChangeSignal.decide(seen.get(c.key()), c);
                if (c.type() == ChangeSignal.Type.DELETED) {
                    seen.remove(c.key());
                } else {
                    seen.merge(c.key(), c.generation(), Math::max);
                }
                if (d.wake()) {
                    signal.accept(d.reason() + " " + c.key());
                }
            }

            @Override
            public void failed(VmConfigException error) {
                synchronized (ChangeWatch.this) {
                    if (a.dead) {
                        return;
                    }
                    a.dead = true;
                    if (a.watch != null) {
                        open.remove(t, a.watch);
                        a.watch.close();
                    }
                }
                ChangeWatch.this.failed(t, error);
            }
        };
    }

    private void failed(Target t, VmConfigException e) {
        if (closed) {
            return;
        }
        int n = failures.merge(t, 1, Integer::sum);
        Duration retry = Backoff.next(n, RETRY_CAP, random.getAsDouble());
        failed.put(
                t, "watch of " + t.name() + " failed (" + e.getMessage() + "), next try in " + retry.toSeconds() + "s");
        metrics.watch(t.kind().plural(), false);
        Map<String, Object> f = fields(t, e);
        f.put("failuresInARow", n);
        f.put("retryInSeconds", retry.toMillis() / 1000.0);
        log(
                Level.WARNING,
                "watch failed: the controller keeps passing every --interval and opens the watch again",
                f,
                null);
        try {
            var unused = retries.schedule(() -> open(t, true), retry.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private static Map<String, Object> fields(Target t, VmConfigException e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("resource", t.kind().plural());
        if (t.namespace() != null) {
            f.put("namespace", t.namespace());
        }
        if (e != null) {
            f.put("error", e.getMessage());
        }
        return f;
    }

    /** For {@code /healthz}: what is not watched now, and why. */
    public ControllerHealth.Watch status() {
        List<String> why = new ArrayList<>();
        for (Target t : targets) {
            String f = failed.get(t);
            if (f != null) {
                why.add(f);
            }
        }
        return new ControllerHealth.Watch(why);
    }

    @Override
    public synchronized void close() {
        closed = true;
        retries.shutdownNow();
        open.values().forEach(KubeWatch::close);
        open.clear();
    }

    private static void log(Level level, String message, Map<String, ?> fields, Throwable error) {
        LogOutput.log(SyncPass.LOG, level, message, fields, error);
    }
}
