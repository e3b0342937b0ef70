package io.vmconfig.service.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.Faults;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeErrors;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.adapters.kube.LeaderElection;
import io.vmconfig.adapters.metrics.SyncMetrics;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader whose Lease renewals fail stops writing before its Lease can expire: the elector gives up after the renew
 * deadline, the write fence closes, and the pass that was still writing writes nothing more. (The bound asserted is
 * the safety property, lease duration; the measured time is printed.)
 */
class LeaseLossTest {
    static final LeaderElection.Timing TIMING =
            new LeaderElection.Timing(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofMillis(500));

    @TempDir
    Path tmp;

    @Test
    void aLeaderThatCannotRenewItsLeaseStopsWritingWithinTheRenewDeadline() throws Exception {
        try (EmbeddedKube dr = EmbeddedKube.start("dr", tmp);
                KubeCluster a = KubeCluster.connect(dr.kubeconfig.toString(), "dr", 0, 1)) {
            AtomicInteger written = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            SyncMetrics metrics = new SyncMetrics("test");
            // a pass that keeps writing, as a long apply does
            SyncController.Pass pass = n -> {
                while (true) {
                    ObjectNode cm = Json.object();
                    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
                    cm.putObject("metadata").put("namespace", "apps").put("name", "cm-" + written.get());
                    try {
                        a.create(KubeKind.CONFIG_MAP, cm);
                        written.incrementAndGet();
                    } catch (VmConfigException e) {
                        refused.incrementAndGet();
                        return false;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            };
            SyncController c = new SyncController(
                    pass, Duration.ofHours(1), Clock.systemUTC(), () -> 0.5, SyncController.Sleeper.REAL, metrics);
            try {
                c.startElected(a, "vmconfig-system", "vmconfig-sync", "a", TIMING);
                assertLossStopsWriting(dr, a, c, metrics, written, refused);
            } finally {
                c.stop(); // also when an assertion failed: no loop of this test outlives it
                c.join(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * A leader whose Lease requests hang (an API server that accepts and never answers) ends its term itself within
     * the renew deadline: fabric8's elector learns of the loss only when its request times out, later than the Lease
     * expires for another replica, and until then the replica would report itself leader with its loop running.
     */
    @Test
    void aLeaderWhoseLeaseRequestsHangEndsItsTermBeforeTheLeaseExpires() throws Exception {
        try (EmbeddedKube dr = EmbeddedKube.start("dr", tmp);
                KubeCluster a = KubeCluster.connect(dr.kubeconfig.toString(), "dr", 0, 1)) {
            SyncMetrics metrics = new SyncMetrics("test");
            SyncController c = new SyncController(
                    n -> true, Duration.ofHours(1), Clock.systemUTC(), () -> 0.5, SyncController.Sleeper.REAL, metrics);
            try {
                c.startElected(a, "vmconfig-system", "vmconfig-sync", "a", TIMING);
                for (int i = 0; i < 300 && !c.leading(); i++) {
                    Thread.sleep(50);
                }
                assertThat(c.leading()).isTrue();
                assertThat(a.mayWrite())
                        .as("a new leader may write at once (its acquiring create counts as a renewal)")
                        .isTrue();
                dr.faults.delay(r -> r.resource().equals("leases"), 100_000, Duration.ofSeconds(60));
                long hungFrom = System.nanoTime();
                while (c.leading()
                        && System.nanoTime() - hungFrom < Duration.ofSeconds(30).toNanos()) {
                    Thread.sleep(20);
                }
                Duration ended = Duration.ofNanos(System.nanoTime() - hungFrom);
                System.out.println("Lease requests hanging: term ended after " + ended.toMillis() + " ms");
                assertThat(c.leading()).isFalse();
                assertThat(ended).as("ended before the Lease expired").isLessThan(TIMING.lease());
                assertThat(a.mayWrite()).isFalse();
                assertThat(metrics.render()).contains("vmconfig_sync_leader 0.0");
            } finally {
                dr.faults.clear();
                c.stop();
                c.join(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * While the Lease's requests fail (the elector is retrying them), another client's request in the same process
     * still gets its retry: fabric8 schedules every retry on one process-wide thread, and the elector must not hold
     * that thread while it waits (it did when the client ran its work inline, and the whole controller hung).
     */
    @Test
    void aFailingLeaseDoesNotStallTheRetriesOfOtherRequests() throws Exception {
        try (EmbeddedKube dr = EmbeddedKube.start("dr", tmp);
                KubeCluster a = KubeCluster.connect(dr.kubeconfig.toString(), "dr", 0, 1);
                KubeCluster b = KubeCluster.connect(dr.kubeconfig.toString(), "dr", 0, 1)) {
            SyncController c = new SyncController(
                    n -> true,
                    Duration.ofHours(1),
                    Clock.systemUTC(),
                    () -> 0.5,
                    SyncController.Sleeper.REAL,
                    new SyncMetrics("test"));
            try {
                c.startElected(a, "vmconfig-system", "vmconfig-sync", "a", TIMING);
                for (int i = 0; i < 300 && !c.leading(); i++) {
                    Thread.sleep(50);
                }
                assertThat(c.leading()).isTrue();
                dr.faults.fail(r -> r.resource().equals("leases"), 1, 100_000, 500);
                Thread.sleep(2 * TIMING.retry().toMillis()); // the elector is now retrying a failed Lease request
                ObjectNode cm = Json.object();
                cm.put("apiVersion", "v1").put("kind", "ConfigMap");
                cm.putObject("metadata").put("namespace", "apps").put("name", "other");
                dr.faults.loseAnswer(Faults.verb("create", "configmaps"), 1, 504);
                // the first create is stored and its answer lost; the client's retry is answered 409
                VmConfigException e = assertTimeoutPreemptively(
                        Duration.ofSeconds(30),
                        () -> assertThrows(VmConfigException.class, () -> b.create(KubeKind.CONFIG_MAP, cm)),
                        "the create's retry never ran: the retry thread is held");
                assertThat(KubeErrors.isConflict(e)).as(e.getMessage()).isTrue();
                assertThat(dr.faults.creates("configmaps", "apps", "other")).isEqualTo(2);
            } finally {
                c.stop();
                c.join(Duration.ofSeconds(5));
            }
        }
    }

    private static void assertLossStopsWriting(
            EmbeddedKube dr,
            KubeCluster a,
            SyncController c,
            SyncMetrics metrics,
            AtomicInteger written,
            AtomicInteger refused)
            throws InterruptedException {
        for (int i = 0; i < 300 && written.get() < 5; i++) {
            Thread.sleep(50);
        }
        assertThat(c.leading()).isTrue();
        assertThat(written.get()).isGreaterThanOrEqualTo(5);
        // every Lease request fails from now on: renewals cannot succeed
        dr.faults.fail(r -> r.resource().equals("leases"), 1, 100_000, 500);
        long failedFrom = System.nanoTime();
        while (a.mayWrite()
                && System.nanoTime() - failedFrom < Duration.ofSeconds(30).toNanos()) {
            Thread.sleep(20);
        }
        Duration stoppedAfter = Duration.ofNanos(System.nanoTime() - failedFrom);
        System.out.println("Lease renewals failing: writing stopped after " + stoppedAfter.toMillis()
                + " ms (renew deadline " + TIMING.renew().toMillis() + " ms, lease "
                + TIMING.lease().toMillis()
                + " ms)");
        assertThat(a.mayWrite()).isFalse();
        assertThat(stoppedAfter)
                .as("stopped before another replica could take the Lease")
                .isLessThan(TIMING.lease());
        for (int i = 0; i < 100 && c.leading(); i++) {
            Thread.sleep(50); // the controller ends its term within a retry period of the fence closing
        }
        assertThat(c.leading())
                .as("the term ended although fabric8's elector may still be retrying")
                .isFalse();
        dr.faults.drainSeen();
        int atLoss = written.get();
        Thread.sleep(1000); // the pass was writing every 50 ms: any write after the loss would show here
        List<ApiRequest> after = dr.faults.drainSeen();
        assertThat(after)
                .as("no write reached the API server after the Lease was lost")
                .noneMatch(r -> r.resource().equals("configmaps") && !r.verb().equals("get"));
        assertThat(written.get()).isEqualTo(atLoss);
        assertThat(refused.get()).as("writes the fence refused").isPositive();
        assertThat(metrics.render()).contains("vmconfig_sync_leader 0.0");
        assertThat(c.liveness().ok())
                .as("a standby is live while its elector runs")
                .isTrue();
        // the elector's failing requests count as activity: it is not stuck, only unlucky
        io.vmconfig.core.sync.ControllerHealth.ElectorActivity activity =
                c.status().elector();
        assertThat(activity.allowed()).isEqualTo(TIMING.lease().multipliedBy(3));
        assertThat(Duration.between(activity.lastHeard(), java.time.Instant.now()))
                .isLessThan(TIMING.lease());
    }
}
