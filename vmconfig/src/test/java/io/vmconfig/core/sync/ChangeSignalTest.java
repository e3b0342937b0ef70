package io.vmconfig.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.core.sync.ChangeSignal.Change;
import io.vmconfig.core.sync.ChangeSignal.Reason;
import io.vmconfig.core.sync.ChangeSignal.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What wakes the sync loop, and when the woken pass runs. */
class ChangeSignalTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Change change(Type type, long generation, long observed) {
        return new Change("ConfigRestore", type, "lab-dr", "db", generation, observed);
    }

    static ChangeSignal.Decision decide(Long seen, Type type, long generation, long observed) {
        return ChangeSignal.decide(seen, change(type, generation, observed));
    }

    @Test
    void aNewObjectOrANewGenerationWakesTheLoopButListingsStatusWritesAndDeletionsDoNot() {
        assertThat(decide(null, Type.LISTED, 3, -1))
                .isEqualTo(new ChangeSignal.Decision(false, Reason.LISTED_AT_START));
        assertThat(decide(null, Type.ADDED, 1, -1)).isEqualTo(new ChangeSignal.Decision(true, Reason.CREATED));
        // a watch that re-sends what the listing gave is not news
        assertThat(decide(1L, Type.ADDED, 1, -1)).isEqualTo(new ChangeSignal.Decision(false, Reason.ALREADY_SEEN));
        assertThat(decide(1L, Type.MODIFIED, 2, 1)).isEqualTo(new ChangeSignal.Decision(true, Reason.SPEC_CHANGED));
        // the controller's own status write: same generation
        assertThat(decide(2L, Type.MODIFIED, 2, 2)).isEqualTo(new ChangeSignal.Decision(false, Reason.STATUS_ONLY));
        // not seen before: the status says whether this generation was acted on
        assertThat(decide(null, Type.MODIFIED, 4, 4)).isEqualTo(new ChangeSignal.Decision(false, Reason.STATUS_ONLY));
        assertThat(decide(null, Type.MODIFIED, 5, 4)).isEqualTo(new ChangeSignal.Decision(true, Reason.SPEC_CHANGED));
        assertThat(decide(null, Type.MODIFIED, 1, -1)).isEqualTo(new ChangeSignal.Decision(true, Reason.SPEC_CHANGED));
        assertThat(decide(3L, Type.DELETED, 3, 3)).isEqualTo(new ChangeSignal.Decision(false, Reason.DELETED));
        assertThat(change(Type.ADDED, 1, -1).key()).isEqualTo("ConfigRestore lab-dr/db");
    }

    @Test
    void aSignalledPassRunsAfterTheDebounceNotBeforeTheFirstRetryAfterAFailureAndNeverLaterThanTheRegularTime() {
        Duration debounce = Duration.ofSeconds(2);
        Instant regular = T0.plus(Duration.ofHours(1));
        assertThat(Backoff.due(regular, T0, 0, T0.plusSeconds(60), debounce)).isEqualTo(T0.plusSeconds(62));
        // during a pass: the next one comes 2 s after the signal, which may already be past
        assertThat(Backoff.due(regular, T0, 0, T0.minusSeconds(10), debounce)).isEqualTo(T0.minusSeconds(8));
        // after a failed pass: not before FIRST_RETRY from its end
        assertThat(Backoff.due(T0.plusSeconds(40), T0, 3, T0.plusSeconds(1), debounce))
                .isEqualTo(T0.plus(Backoff.FIRST_RETRY));
        assertThat(Backoff.due(T0.plusSeconds(40), T0, 3, T0.plusSeconds(10), debounce))
                .isEqualTo(T0.plusSeconds(12));
        // never later than the interval or backoff would have run it
        assertThat(Backoff.due(T0.plusSeconds(3), T0, 1, T0.plusSeconds(2), debounce))
                .isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aFailedWatchKeepsTheControllerLiveAndSaysItOnlyPolls() {
        ControllerHealth.Status polling = new ControllerHealth.Status(
                true,
                true,
                true,
                true,
                T0,
                T0,
                new ControllerHealth.Watch(List.of("watch of configrestores failed (HTTP 403 Forbidden)")),
                ControllerHealth.ElectorActivity.NONE);
        ControllerHealth.Verdict v = ControllerHealth.liveness(polling, T0.plusSeconds(10), Duration.ofHours(1));
        assertThat(v.ok()).isTrue();
        assertThat(v.reason()).isEqualTo(ControllerHealth.Reason.POLLING);
        assertThat(v.detail()).contains("every 3600s").contains("watch of configrestores failed (HTTP 403 Forbidden)");
        // a dead loop is still dead, whatever the watch
        ControllerHealth.Status dead = new ControllerHealth.Status(
                true,
                true,
                true,
                false,
                T0,
                T0,
                new ControllerHealth.Watch(List.of("x")),
                ControllerHealth.ElectorActivity.NONE);
        assertThat(ControllerHealth.liveness(dead, T0, Duration.ofHours(1)).reason())
                .isEqualTo(ControllerHealth.Reason.LOOP_DEAD);
    }
}
