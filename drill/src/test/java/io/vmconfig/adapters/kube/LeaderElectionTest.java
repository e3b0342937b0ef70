package io.vmconfig.adapters.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.adapters.embedded.EmbeddedKube;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two sync controllers, one Lease: one leads, and when it stops the other takes over. */
class LeaderElectionTest {
    static final LeaderElection.Timing FAST =
            new LeaderElection.Timing(Duration.ofMillis(1500), Duration.ofMillis(1000), Duration.ofMillis(200));

    @TempDir
    Path tmp;

    @Test
    void theSecondControllerTakesOverWhenTheLeaderStops() throws Exception {
        try (EmbeddedKube dr = EmbeddedKube.start("dr", tmp);
                KubeCluster a = KubeCluster.connect(dr.kubeconfig.toString(), "dr", 0, 1);
                KubeCluster b = KubeCluster.connect(dr.kubeconfig.toString(), "dr", 0, 1)) {
            AtomicInteger leaders = new AtomicInteger();
            CountDownLatch aLeads = new CountDownLatch(1);
            CountDownLatch bLeads = new CountDownLatch(1);
            CompletableFuture<?> ea = LeaderElection.start(
                    a,
                    "vmconfig-system",
                    "vmconfig-sync",
                    "a",
                    FAST,
                    () -> {
                        leaders.incrementAndGet();
                        aLeads.countDown();
                    },
                    leaders::decrementAndGet,
                    l -> {});
            assertThat(aLeads.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<?> eb = LeaderElection.start(
                    b,
                    "vmconfig-system",
                    "vmconfig-sync",
                    "b",
                    FAST,
                    () -> {
                        leaders.incrementAndGet();
                        bLeads.countDown();
                    },
                    leaders::decrementAndGet,
                    l -> {});
            assertThat(bLeads.await(3, TimeUnit.SECONDS))
                    .as("b must not lead while a renews")
                    .isFalse();
            assertThat(leaders.get()).isEqualTo(1);
            ea.cancel(true);
            assertThat(bLeads.await(10, TimeUnit.SECONDS)).as("b takes over").isTrue();
            assertThat(leaders.get()).isEqualTo(1);
            eb.cancel(true);
        }
    }
}
