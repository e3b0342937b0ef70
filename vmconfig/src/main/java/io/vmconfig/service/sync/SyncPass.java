package io.vmconfig.service.sync;

import io.vmconfig.adapters.kube.KubeEvents;
import io.vmconfig.adapters.log.LogOutput;
import io.vmconfig.adapters.metrics.SyncMetrics;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One pass of the sync controller: plan the latest set against DR, apply it, then tell the operator what happened
 * on DR itself (an Event per VM created, updated, blocked or failed), in the log (one line per VM that is not in
 * sync) and in the metrics. Events and logs never carry object contents, only names, reason codes and reasons.
 */
public final class SyncPass {
    static final Logger LOG = Logger.getLogger("io.vmconfig.sync");
    private final DrSync sync;
    private final Supplier<RepoReader> repo;
    private final String set;
    private final boolean pruneDeleted;
    private final Optional<KubeEvents> events;
    private final String stateNamespace;
    private final String lease;
    private final SyncMetrics metrics;
    private final Clock clock;
    private final boolean logVms;

    /** {@code logVms}: a log line per VM not in sync (the controller); off when a table is printed instead. */
    public SyncPass(
            DrSync sync,
            Supplier<RepoReader> repo,
            String set,
            boolean pruneDeleted,
            Optional<KubeEvents> events,
            String stateNamespace,
            String lease,
            SyncMetrics metrics,
            Clock clock,
            boolean logVms) {
        this.logVms = logVms;
        this.sync = sync;
        this.repo = repo;
        this.set = set;
        this.pruneDeleted = pruneDeleted;
        this.events = events;
        this.stateNamespace = stateNamespace;
        this.lease = lease;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What one pass did. */
    public record Result(DrSync.Report report, DrSync.Applied applied) {
        public boolean complete() {
            return applied.failures().isEmpty();
        }
    }

    public Result run(long number, Progress progress) {
        DrSync.Run run = sync.run(repo.get(), set, pruneDeleted, false, progress);
        DrSync.Report r = run.report();
        DrSync.Applied applied = run.applied();
        Instant now = clock.instant();
        metrics.plans(r.plans(), applied.failed(), r.setCreated(), now, r.bundleBytesRead(), applied.objectsWritten());
        for (VmPlan p : r.plans()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("pass", number);
            f.put("set", r.setId());
            f.put("vm", p.name());
            f.put("action", p.action().name().toLowerCase(java.util.Locale.ROOT));
            Optional<String> failure = applied.failureOf(p);
            if (!logVms) {
                events.ifPresent(e -> event(e, p, failure, r.setId()));
                continue;
            }
            if (failure.isPresent()) {
                LogOutput.log(LOG, Level.WARNING, "VM not applied: " + failure.get(), f, null);
            } else if (p.action() == SyncAction.BLOCKED || p.action() == SyncAction.SKIPPED) {
                f.put("reasons", String.join(",", p.codes()));
                LogOutput.log(
                        LOG,
                        p.action() == SyncAction.BLOCKED ? Level.WARNING : Level.INFO,
                        "VM " + p.action().name().toLowerCase(java.util.Locale.ROOT) + ": "
                                + String.join("; ", p.reasons()),
                        f,
                        null);
            } else if (p.action().writes()) {
                LogOutput.log(LOG, Level.INFO, "VM " + p.action().name().toLowerCase(java.util.Locale.ROOT), f, null);
            }
            events.ifPresent(e -> event(e, p, failure, r.setId()));
        }
        return new Result(r, applied);
    }

    private void event(KubeEvents e, VmPlan p, Optional<String> failure, String setId) {
        if (p.target() == null && p.action() != SyncAction.BLOCKED) {
            return;
        }
        String reason;
        boolean warning;
        String message;
        if (failure.isPresent()) {
            reason = "ApplyFailed";
            warning = true;
            message = "set " + setId + ": " + failure.get();
        } else {
            switch (p.action()) {
                case CREATE -> {
                    reason = "Created";
                    warning = false;
                    message = "created from set " + setId + " (halted)";
                }
                case UPDATE -> {
                    reason = "Updated";
                    warning = false;
                    message = "updated from set " + setId
                            + (p.diff().isEmpty() ? "" : ": " + p.diff().size() + " field(s) changed");
                }
                case BLOCKED -> {
                    reason = "Blocked";
                    warning = true;
                    message = (p.target() == null ? p.name() + " " : "") + "blocked in set " + setId + ": "
                            + String.join("; ", p.reasons());
                }
                case DELETE -> {
                    reason = "Deleted";
                    warning = false;
                    message = p.name() + " deleted (--prune-deleted): " + String.join("; ", p.reasons());
                }
                default -> {
                    return;
                }
            }
        }
        boolean written;
        try {
            KubeEvents.Involved on = p.target() != null && p.action() != SyncAction.DELETE
                    ? e.vmOrLease(p.target().namespace(), p.target().name(), stateNamespace, lease)
                    : e.lease(stateNamespace, lease);
            written = e.record(on, warning, reason, message);
        } catch (RuntimeException x) {
            written = false; // an Event is worth less than the pass: counted, never fatal
        }
        metrics.event(written);
    }
}
