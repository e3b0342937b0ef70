package io.vmconfig.adapters.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code vmconfig sync} exposes on /metrics, with Prometheus' client library (one registry per controller, so
 * tests and several controllers in one JVM do not share series). Every series that an alert reads exists from the
 * start: the timestamps are 0 until the first success, so "time() - timestamp > RPO" fires on a controller that never
 * synced. Names follow Prometheus' conventions (base units, {@code _total} counters, {@code _timestamp_seconds}).
 */
public final class SyncMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** The VM states of a pass; {@code failed} is a VM whose write failed. */
    public static final List<String> STATES =
            List.of("created", "updated", "unchanged", "blocked", "skipped", "deleted", "failed");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge lastSuccess;
    private final Gauge lastAppliedSet;
    private final Gauge lastAppliedSetCreated;
    private final Histogram passDuration;
    private final Counter passes;
    private final Gauge consecutiveFailures;
    private final Gauge vms;
    private final Gauge blocked;
    private final Counter apiRequests;
    private final Counter apiErrors;
    private final Counter bytesRead;
    private final Counter objectsWritten;
    private final Counter events;
    private final Gauge leader;
    private final Counter watchFailures;
    private final Gauge watching;
    private final Set<String> blockedReasonsShown = new HashSet<>();

    public SyncMetrics(String version) {
        lastSuccess = gauge(
                "vmconfig_sync_last_success_timestamp_seconds",
                "When the last sync pass finished without error (0: never)");
        lastAppliedSet = gauge(
                "vmconfig_sync_last_applied_set_timestamp_seconds",
                "When the last pass that applied every applicable VM finished (0: never)");
        lastAppliedSetCreated = gauge(
                "vmconfig_sync_last_applied_set_created_timestamp_seconds",
                "Creation time of the set that the last successful pass applied: the configuration RPO (0: never)");
        passDuration = Histogram.builder()
                .name("vmconfig_sync_pass_duration_seconds")
                .help("Duration of sync passes")
                .labelNames("result")
                .classicUpperBounds(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
                .register(registry);
        passes = counter(
                "vmconfig_sync_passes_total",
                "Sync passes by result: success, partial (some VM writes failed), error (the pass failed)",
                "result");
        consecutiveFailures = gauge(
                "vmconfig_sync_consecutive_failed_passes", "Passes in a row that did not succeed (0 after a success)");
        vms = gauge("vmconfig_sync_vms", "VMs of the last finished pass by state", "state");
        blocked = gauge(
                "vmconfig_sync_blocked_vms",
                "Blocked VMs of the last finished pass by reason code (a VM counts once per reason)",
                "reason");
        apiRequests = counter("vmconfig_kube_requests_total", "Kubernetes API requests by verb", "verb");
        apiErrors = counter(
                "vmconfig_kube_request_errors_total",
                "Kubernetes API requests that failed, by verb and HTTP code (0: not reached); 404 is an answer",
                "verb",
                "code");
        bytesRead = counter("vmconfig_sync_repository_read_bytes_total", "Bundle bytes read from the repository");
        objectsWritten =
                counter("vmconfig_sync_objects_written_total", "Objects created, updated or deleted on the DR cluster");
        events = counter(
                "vmconfig_sync_events_total",
                "Kubernetes Events recorded on DR, by result (written, failed)",
                "result");
        leader = gauge(
                "vmconfig_sync_leader", "1 while this replica holds the sync Lease (or runs without leader election)");
        watchFailures = counter(
                "vmconfig_sync_watch_failures_total",
                "Watches of the controller's inputs that failed (the loop then polls every --interval), by resource",
                "resource");
        watching = gauge(
                "vmconfig_sync_watching",
                "1 while the watch of this resource wakes the loop on changes, 0 while it only polls",
                "resource");
        Info.builder()
                .name("vmconfig_build_info")
                .help("The vmconfig build")
                .labelNames("version")
                .register(registry)
                .setLabelValues(version);
        JvmMetrics.builder().register(registry);
        for (String s : STATES) {
            vms.labelValues(s).set(0);
        }
        for (String r : List.of("success", "partial", "error")) {
            passes.labelValues(r).inc(0);
        }
        for (String r : List.of("written", "failed")) {
            events.labelValues(r).inc(0);
        }
        leader.set(0);
        lastSuccess.set(0);
        lastAppliedSet.set(0);
        lastAppliedSetCreated.set(0);
    }

    private Gauge gauge(String name, String help, String... labels) {
        return Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    /** A pass finished: its duration, its result and, when it read a set, the VMs by state and reason. */
    public synchronized void pass(String result, Duration took, Instant finished, int failuresInARow) {
        passDuration.labelValues(result).observe(took.toNanos() / 1e9);
        passes.labelValues(result).inc();
        consecutiveFailures.set(failuresInARow);
        if (result.equals("success")) {
            lastSuccess.set(finished.toEpochMilli() / 1000.0);
        }
    }

    /** The plans of a pass that applied; {@code failed} are the VMs whose writes failed. */
    public synchronized void plans(
            List<VmPlan> plans,
            List<VmPlan> failed,
            Instant setCreated,
            Instant finished,
            long bundleBytes,
            int written) {
        Map<String, Integer> byState = new TreeMap<>();
        STATES.forEach(s -> byState.put(s, 0));
        Map<String, Integer> reasons = new TreeMap<>();
        Set<VmPlan> failedSet = Set.copyOf(failed);
        for (VmPlan p : plans) {
            byState.merge(failedSet.contains(p) ? "failed" : p.action().state(), 1, Integer::sum);
            if (p.action() == SyncAction.BLOCKED) {
                for (String code : new HashSet<>(p.codes())) {
                    reasons.merge(code, 1, Integer::sum);
                }
            }
        }
        byState.forEach((s, n) -> vms.labelValues(s).set(n));
        for (String shown : blockedReasonsShown) {
            reasons.putIfAbsent(shown, 0); // a reason that cleared goes to 0, not stale
        }
        reasons.forEach((r, n) -> blocked.labelValues(r).set(n));
        blockedReasonsShown.addAll(reasons.keySet());
        bytesRead.inc(bundleBytes);
        objectsWritten.inc(written);
        if (failed.isEmpty()) {
            lastAppliedSet.set(finished.toEpochMilli() / 1000.0);
            lastAppliedSetCreated.set(setCreated.toEpochMilli() / 1000.0);
        }
    }

    public void event(boolean written) {
        events.labelValues(written ? "written" : "failed").inc();
    }

    public void leader(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    /** The watch of {@code resource} runs (true) or failed (false, counted once per failure). */
    public void watch(String resource, boolean running) {
        watching.labelValues(resource).set(running ? 1 : 0);
        if (running) {
            watchFailures.labelValues(resource).inc(0);
        } else {
            watchFailures.labelValues(resource).inc();
        }
    }

    /** One API request by its RBAC verb (get, list, create, update, ...). */
    public void apiRequest(String verb) {
        apiRequests.labelValues(verb).inc();
    }

    /** A failure is a status of 400 or more other than 404 (an absent object is an answer), or 0: not reached. */
    public void apiResponse(String verb, int code) {
        if (code <= 0 || (code >= 400 && code != 404)) {
            apiErrors.labelValues(verb, Integer.toString(Math.max(code, 0))).inc();
        }
    }

    /** The Prometheus text format (0.0.4) of every series. */
    public String render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
