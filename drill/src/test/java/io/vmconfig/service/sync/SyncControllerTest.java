package io.vmconfig.service.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.adapters.metrics.SyncMetrics;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.sync.ControllerHealth;
import io.vmconfig.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop with an injected clock, random draw and sleeper: no test waits for real time to pass. */
class SyncControllerTest {
    static final Duration INTERVAL = Duration.ofMinutes(5);
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final SyncMetrics metrics = new SyncMetrics("test");
    final List<Duration> waits = new ArrayList<>();

    /** Records each wait and lets the clock run through it; stops the controller after {@code passes} waits. */
    SyncController.Sleeper sleeper(int passes, SyncController[] self, CountDownLatch done) {
        return (d, monitor) -> {
            waits.add(d);
            clock.advance(d);
            if (waits.size() >= passes) {
                self[0].stop();
                done.countDown();
            }
        };
    }

    @Test
    void everyExceptionOfAPassIsCaughtCountedAndRetriedWithBackoffThenTheIntervalResumes() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SyncController.Pass pass = n -> switch (calls.incrementAndGet()) {
            case 1 -> throw new NullPointerException("a bug in a pass");
            case 2 ->
                throw new VmConfigException(VmConfigException.Kind.TRANSIENT, "list VMs on dr: cluster unreachable");
            case 3 -> throw new IllegalStateException("anything else");
            case 4 -> false; // some VMs not applied
            default -> true;
        };
        SyncController[] self = new SyncController[1];
        CountDownLatch done = new CountDownLatch(1);
        Random random = new Random(42);
        self[0] = new SyncController(pass, INTERVAL, clock, random::nextDouble, sleeper(6, self, done), metrics);
        assertThat(metrics.render())
                .contains("vmconfig_sync_last_success_timestamp_seconds 0.0")
                .contains("vmconfig_sync_last_applied_set_created_timestamp_seconds 0.0")
                .contains("vmconfig_sync_passes_total{result=\"error\"} 0.0");
        self[0].startUnelected();
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        self[0].join(Duration.ofSeconds(20));
        assertThat(calls.get()).isEqualTo(6);
        // backoff: 1st failure in [2.5s, 5s), 2nd in [5s, 10s), 3rd [10s, 20s), 4th [20s, 40s); then the interval
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        assertThat(waits.get(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(waits.get(2)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThat(waits.get(3)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
        assertThat(waits.subList(4, 6)).containsOnly(INTERVAL);
        String m = metrics.render();
        assertThat(m)
                .contains("vmconfig_sync_passes_total{result=\"error\"} 3.0")
                .contains("vmconfig_sync_passes_total{result=\"partial\"} 1.0")
                .contains("vmconfig_sync_passes_total{result=\"success\"} 2.0")
                .contains("vmconfig_sync_consecutive_failed_passes 0.0")
                .contains("vmconfig_sync_pass_duration_seconds_count{result=\"error\"} 3")
                .doesNotContain("vmconfig_sync_last_success_timestamp_seconds 0.0");
    }

    @Test
    void livenessFailsWhenTheLoopThreadDiesAndWhenAPassHangs() throws Exception {
        SyncController[] self = new SyncController[1];
        self[0] = new SyncController(
                n -> {
                    throw new StackOverflowError("not an exception: the loop thread dies");
                },
                INTERVAL,
                clock,
                () -> 0.5,
                (d, m) -> {},
                metrics);
        self[0].startUnelected();
        self[0].join(Duration.ofSeconds(20));
        assertThat(self[0].liveness().reason()).isEqualTo(ControllerHealth.Reason.LOOP_DEAD);
        assertThat(self[0].liveness().ok()).isFalse();
        assertThat(self[0].readiness().ok()).isTrue();

        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SyncController hanging = new SyncController(
                n -> {
                    inPass.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return true;
                },
                INTERVAL,
                clock,
                () -> 0.5,
                (d, m) -> {},
                metrics);
        hanging.startUnelected();
        assertThat(inPass.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(hanging.liveness().ok()).isTrue();
        clock.advance(INTERVAL.multipliedBy(ControllerHealth.LIVENESS_INTERVALS).plusSeconds(6));
        assertThat(hanging.liveness().reason()).isEqualTo(ControllerHealth.Reason.NO_PASS_FINISHED);
        hanging.stop();
        release.countDown();
        hanging.join(Duration.ofSeconds(20));
    }
}
