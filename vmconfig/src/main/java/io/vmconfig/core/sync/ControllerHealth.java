package io.vmconfig.core.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * Liveness and readiness of the sync controller, decided from what the loop reports (no I/O): one home for the
 * rule the probes apply.
 *
 * <p>Liveness fails ({@code /healthz} 503, the kubelet restarts the pod) when the controller that should be syncing
 * is not: its loop thread died, its leader elector died or neither sent a Lease request nor got an answer
 * for {@link #ELECTOR_QUIET_LEASES} lease durations (stuck, so this replica would never lead again), or no pass <em>finished</em> (successfully or not) within
 * {@link #LIVENESS_INTERVALS} intervals of the later of "became leader" and "last pass finished" — a pass stuck on a
 * hung call. A standby replica (not leading) is live while its elector runs. Readiness ({@code /readyz}) only says
 * the controller started: a failing controller must stay in the Service's endpoints so that its metrics are still
 * scraped and its alerts fire. A failed watch (the loop then only polls) keeps the pod live, with reason
 * {@code POLLING} naming what is not watched and why.
 */
public final class ControllerHealth {
    /** Liveness allows this many intervals (plus the first retry's backoff) without a finished pass. */
    public static final int LIVENESS_INTERVALS = 3;

    private ControllerHealth() {}

    /** Why the controller is (not) healthy. */
    public enum Reason {
        OK,
        STANDBY,
        NOT_STARTED,
        LOOP_DEAD,
        ELECTOR_DEAD,
        /** The elector's thread runs, but it neither sends Lease requests nor gets answers: it is stuck. */
        ELECTOR_STALLED,
        NO_PASS_FINISHED,
        /** Healthy, but the watch failed: changes are seen at the next --interval, not at once. */
        POLLING
    }

    /**
     * The watch that wakes the loop on changes: {@code failed} lists what it cannot watch now, with why (empty: it
     * watches everything it should, or there is nothing to watch).
     */
    public record Watch(java.util.List<String> failed) {
        public static final Watch NONE = new Watch(java.util.List.of());
    }

    public record Verdict(boolean ok, Reason reason, String detail) {}

    /**
     * When the leader elector last sent a Lease request or got any answer to one (a failure too: an elector that keeps
     * failing is still working) and how long it may go without; {@link #NONE} without leader election.
     */
    public record ElectorActivity(Instant lastHeard, Duration allowed) {
        public static final ElectorActivity NONE = new ElectorActivity(null, null);
    }

    /** An elector renews or polls every retry period; this many Lease durations without any answer is a stuck one. */
    public static final int ELECTOR_QUIET_LEASES = 3;

    /**
     * What the loop reports. {@code leading} is true without leader election; {@code since} is when this replica
     * started leading (or the loop started); {@code lastFinished} the end of the last pass, null before the first.
     */
    public record Status(
            boolean started,
            boolean electorAlive,
            boolean leading,
            boolean loopAlive,
            Instant since,
            Instant lastFinished,
            Watch watch,
            ElectorActivity elector) {
        /** Without a watch and without leader election's activity. */
        public Status(
                boolean started,
                boolean electorAlive,
                boolean leading,
                boolean loopAlive,
                Instant since,
                Instant lastFinished) {
            this(started, electorAlive, leading, loopAlive, since, lastFinished, Watch.NONE, ElectorActivity.NONE);
        }
    }

    public static Verdict liveness(Status s, Instant now, Duration interval) {
        if (!s.started()) {
            return new Verdict(true, Reason.NOT_STARTED, "starting");
        }
        if (!s.electorAlive()) {
            return new Verdict(false, Reason.ELECTOR_DEAD, "the leader elector stopped");
        }
        ElectorActivity elector = s.elector();
        if (elector.lastHeard() != null && elector.allowed() != null) {
            Duration quiet = Duration.between(elector.lastHeard(), now);
            if (quiet.compareTo(elector.allowed()) > 0) {
                return new Verdict(
                        false,
                        Reason.ELECTOR_STALLED,
                        "the leader elector sent no Lease request and got no answer for " + quiet.toSeconds()
                                + "s (allowed " + elector.allowed().toSeconds() + "s = " + ELECTOR_QUIET_LEASES
                                + " x the lease duration)");
            }
        }
        if (!s.leading()) {
            return new Verdict(true, Reason.STANDBY, "standby: another replica holds the Lease");
        }
        if (!s.loopAlive()) {
            return new Verdict(false, Reason.LOOP_DEAD, "the sync loop thread is dead");
        }
        Instant from = s.lastFinished() == null || s.lastFinished().isBefore(s.since()) ? s.since() : s.lastFinished();
        Duration allowed = interval.multipliedBy(LIVENESS_INTERVALS).plus(Backoff.FIRST_RETRY);
        Duration quiet = Duration.between(from, now);
        if (quiet.compareTo(allowed) > 0) {
            return new Verdict(
                    false,
                    Reason.NO_PASS_FINISHED,
                    "no pass finished for " + quiet.toSeconds()
                            + "s (allowed " + allowed.toSeconds() + "s = " + LIVENESS_INTERVALS + " x --interval + "
                            + Backoff.FIRST_RETRY.toSeconds() + "s)");
        }
        if (!s.watch().failed().isEmpty()) {
            // polling still serves every request, only later: restarting the pod would not mend RBAC or a CRD
            return new Verdict(
                    true,
                    Reason.POLLING,
                    "passes run every " + interval.toSeconds() + "s but changes are not seen sooner: "
                            + String.join("; ", s.watch().failed()));
        }
        return new Verdict(true, Reason.OK, "ok");
    }

    public static Verdict readiness(Status s) {
        return s.started() ? new Verdict(true, Reason.OK, "ok") : new Verdict(false, Reason.NOT_STARTED, "starting");
    }
}
