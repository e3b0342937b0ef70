package io.vmconfig.service.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeCluster;
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
            c.startElected(a, "vmconfig-system", "vmconfig-sync", "a", TIMING);
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
            for (int i = 0; i < 200 && c.leading(); i++) {
                Thread.sleep(50); // fabric8's elector reports the loss on its own schedule
            }
            assertThat(c.leading()).isFalse();
            dr.faults.drainSeen();
            int atLoss = written.get();
            Thread.sleep(1000); // the pass was writing every 50 ms: any write after the loss would show here
            List<ApiRequest> after = dr.faults.drainSeen();
            assertThat(after)
                    .as("no write reached the API server after the Lease was lost")
                    .noneMatch(
                            r -> r.resource().equals("configmaps") && !r.verb().equals("get"));
            assertThat(written.get()).isEqualTo(atLoss);
            assertThat(refused.get()).as("writes the fence refused").isPositive();
            assertThat(metrics.render()).contains("vmconfig_sync_leader 0.0");
            assertThat(c.liveness().ok())
                    .as("a standby is live while its elector runs")
                    .isTrue();
            c.stop();
        }
    }
}
