package io.vmconfig.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ControllerHealthTest {
    static final Duration FIVE_MIN = Duration.ofMinutes(5);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void backoffDoublesFromTheFirstRetryWithJitterAndIsCappedByTheInterval() {
        assertThat(Backoff.next(0, FIVE_MIN, 0.3)).isEqualTo(FIVE_MIN);
        assertThat(Backoff.next(1, FIVE_MIN, 0.0)).isEqualTo(Duration.ofMillis(2500));
        assertThat(Backoff.next(1, FIVE_MIN, 0.999)).isBetween(Duration.ofMillis(4990), Duration.ofSeconds(5));
        assertThat(Backoff.next(2, FIVE_MIN, 0.0)).isEqualTo(Duration.ofSeconds(5));
        Random seeded = new Random(11);
        for (int failures = 1; failures < 40; failures++) {
            Duration d = Backoff.next(failures, FIVE_MIN, seeded.nextDouble());
            assertThat(d).isLessThanOrEqualTo(FIVE_MIN).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        }
        assertThat(Backoff.next(30, FIVE_MIN, 0.0)).isEqualTo(FIVE_MIN.dividedBy(2));
        assertThatThrownBy(() -> Backoff.next(1, FIVE_MIN, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void livenessFailsWhenTheLoopDiedOrNoPassFinishedInTime() {
        ControllerHealth.Status fine = new ControllerHealth.Status(true, true, true, true, T0, T0.plusSeconds(60));
        assertThat(ControllerHealth.liveness(fine, T0.plusSeconds(120), FIVE_MIN)
                        .reason())
                .isEqualTo(ControllerHealth.Reason.OK);
        Duration allowed =
                FIVE_MIN.multipliedBy(ControllerHealth.LIVENESS_INTERVALS).plus(Backoff.FIRST_RETRY);
        assertThat(ControllerHealth.liveness(fine, T0.plusSeconds(60).plus(allowed), FIVE_MIN)
                        .ok())
                .isTrue();
        ControllerHealth.Verdict late =
                ControllerHealth.liveness(fine, T0.plusSeconds(61).plus(allowed), FIVE_MIN);
        assertThat(late.ok()).isFalse();
        assertThat(late.reason()).isEqualTo(ControllerHealth.Reason.NO_PASS_FINISHED);
        // never finished a pass: counted from when it started leading
        ControllerHealth.Status never = new ControllerHealth.Status(true, true, true, true, T0, null);
        assertThat(ControllerHealth.liveness(never, T0.plus(allowed).plusSeconds(1), FIVE_MIN)
                        .reason())
                .isEqualTo(ControllerHealth.Reason.NO_PASS_FINISHED);
        ControllerHealth.Status dead = new ControllerHealth.Status(true, true, true, false, T0, T0);
        assertThat(ControllerHealth.liveness(dead, T0, FIVE_MIN).reason()).isEqualTo(ControllerHealth.Reason.LOOP_DEAD);
        ControllerHealth.Status standby = new ControllerHealth.Status(true, true, false, false, T0, null);
        assertThat(ControllerHealth.liveness(standby, T0.plus(Duration.ofDays(1)), FIVE_MIN)
                        .reason())
                .isEqualTo(ControllerHealth.Reason.STANDBY);
        ControllerHealth.Status noElector = new ControllerHealth.Status(true, false, false, false, T0, null);
        assertThat(ControllerHealth.liveness(noElector, T0, FIVE_MIN).reason())
                .isEqualTo(ControllerHealth.Reason.ELECTOR_DEAD);
        // readiness is separate: a failing but running controller stays ready (its metrics must be scraped)
        assertThat(ControllerHealth.readiness(dead).ok()).isTrue();
        assertThat(ControllerHealth.readiness(new ControllerHealth.Status(false, true, false, false, T0, null))
                        .ok())
                .isFalse();
    }

    @Test
    void anElectorThatNeitherSendsNorHearsForThreeLeaseDurationsIsStuckWhetherLeadingOrNot() {
        Duration lease = Duration.ofSeconds(15);
        Duration allowed = lease.multipliedBy(ControllerHealth.ELECTOR_QUIET_LEASES);
        ControllerHealth.ElectorActivity heard = new ControllerHealth.ElectorActivity(T0, allowed);
        for (boolean leading : new boolean[] {true, false}) {
            ControllerHealth.Status s = new ControllerHealth.Status(
                    true, true, leading, leading, T0, T0, ControllerHealth.Watch.NONE, heard);
            assertThat(ControllerHealth.liveness(s, T0.plus(allowed), FIVE_MIN).ok())
                    .as("at the limit, leading=" + leading)
                    .isTrue();
            ControllerHealth.Verdict stuck =
                    ControllerHealth.liveness(s, T0.plus(allowed).plusSeconds(1), FIVE_MIN);
            assertThat(stuck.ok()).isFalse();
            assertThat(stuck.reason()).isEqualTo(ControllerHealth.Reason.ELECTOR_STALLED);
            assertThat(stuck.detail()).contains("46s").contains("allowed 45s");
        }
        // without leader election there is no elector to watch
        ControllerHealth.Status unelected = new ControllerHealth.Status(
                true, true, true, true, T0, T0, ControllerHealth.Watch.NONE, ControllerHealth.ElectorActivity.NONE);
        assertThat(ControllerHealth.liveness(unelected, T0.plus(Duration.ofMinutes(10)), FIVE_MIN)
                        .reason())
                .isEqualTo(ControllerHealth.Reason.OK);
    }
}
