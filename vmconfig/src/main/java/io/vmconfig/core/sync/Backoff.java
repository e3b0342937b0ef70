package io.vmconfig.core.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the sync loop waits before its next pass: the interval after a pass that finished, else an exponential
 * backoff from {@link #FIRST_RETRY} doubling per consecutive failure, capped at the interval, with "equal jitter"
 * (half fixed, half random) so that replicas and retries do not march in step. {@code random} is a uniform draw
 * in [0, 1) that the caller injects.
 */
public final class Backoff {
    public static final Duration FIRST_RETRY = Duration.ofSeconds(5);

    private Backoff() {}

    /** The wait after a pass; {@code consecutiveFailures} is 0 when the last pass succeeded. */
    public static Duration next(int consecutiveFailures, Duration interval, double random) {
        if (random < 0 || random >= 1) {
            throw new IllegalArgumentException("random must be in [0, 1): " + random);
        }
        if (consecutiveFailures <= 0) {
            return interval;
        }
        long cap = interval.toMillis();
        long base = FIRST_RETRY.toMillis() << Math.min(consecutiveFailures - 1, 20);
        long full = Math.max(1, Math.min(cap, base));
        return Duration.ofMillis(full / 2 + (long) (full / 2.0 * random));
    }

    /**
     * When the next pass is due once a change was signalled at {@code signalled} (the watch saw work): {@code debounce}
     * after the signal, so that a burst of changes makes one pass; after a failed pass not before {@link #FIRST_RETRY}
     * from its end, so that changes cannot drive a failing pass in a tight loop; never later than {@code regular},
     * the time the interval or the backoff gave.
     */
    public static Instant due(
            Instant regular, Instant lastEnd, int consecutiveFailures, Instant signalled, Duration debounce) {
        Instant soon = signalled.plus(debounce);
        if (consecutiveFailures > 0 && soon.isBefore(lastEnd.plus(FIRST_RETRY))) {
            soon = lastEnd.plus(FIRST_RETRY);
        }
        return soon.isBefore(regular) ? soon : regular;
    }
}
