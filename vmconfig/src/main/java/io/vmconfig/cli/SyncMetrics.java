package io.vmconfig.cli;

import io.vmconfig.adapters.kube.DrSync;
import io.vmconfig.core.sync.SyncAction;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** What {@code sync} exposes on /metrics, in the Prometheus text format. */
final class SyncMetrics {
    private final Clock clock;
    private volatile Instant lastSetCreated;
    private volatile Map<SyncAction, Integer> counts = Map.of();
    private volatile long bytesRead;
    private volatile long objectsWritten;
    private volatile long passes;
    private volatile long failedPasses;
    private volatile boolean leader;

    SyncMetrics(Clock clock) {
        this.clock = clock;
    }

    synchronized void record(DrSync.Report r, DrSync.Applied a) {
        lastSetCreated = r.setCreated();
        counts = PlanPrinter.counts(r.plans());
        bytesRead += r.bundleBytesRead();
        objectsWritten += a.objectsWritten();
        passes++;
    }

    synchronized void failedPass() {
        failedPasses++;
    }

    void leader(boolean isLeader) {
        leader = isLeader;
    }

    String render() {
        StringBuilder b = new StringBuilder();
        if (lastSetCreated != null) {
            gauge(b, "vmconfig_sync_last_applied_set_age_seconds", "age of the set applied last",
                    (clock.millis() - lastSetCreated.toEpochMilli()) / 1000.0);
        }
        b.append("# HELP vmconfig_sync_vms VMs of the last pass by state\n# TYPE vmconfig_sync_vms gauge\n");
        Map<SyncAction, Integer> c = counts;
        b.append("vmconfig_sync_vms{state=\"in_sync\"} ").append(c.getOrDefault(SyncAction.UNCHANGED, 0)
                + c.getOrDefault(SyncAction.CREATE, 0) + c.getOrDefault(SyncAction.UPDATE, 0)).append('\n');
        b.append("vmconfig_sync_vms{state=\"blocked\"} ").append(c.getOrDefault(SyncAction.BLOCKED, 0)).append('\n');
        b.append("vmconfig_sync_vms{state=\"skipped\"} ").append(c.getOrDefault(SyncAction.SKIPPED, 0)).append('\n');
        counter(b, "vmconfig_sync_bundle_bytes_read_total", "bundle bytes read from the repository", bytesRead);
        counter(b, "vmconfig_sync_objects_written_total", "objects created, updated or deleted on DR", objectsWritten);
        counter(b, "vmconfig_sync_passes_total", "sync passes done", passes);
        counter(b, "vmconfig_sync_failed_passes_total", "sync passes that failed", failedPasses);
        gauge(b, "vmconfig_sync_leader", "1 while this instance holds the Lease", leader ? 1 : 0);
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, double v) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(v).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(v).append('\n');
    }
}
