package io.vmconfig.core.repo;

import java.time.Instant;

/**
 * NEWER, SAME or OLDER: how a VM revision stands against another (repository-format.md §8). This is the one home of
 * the revision order: readers ({@code restore}, {@code sync}, vm-restore) and writers ({@code backup}, {@code seal})
 * all call {@link #decide}.
 */
public enum RevisionOrder {
    NEWER,
    SAME,
    OLDER;

    /** Why a revision is ordered as it is: a code, never text to parse. */
    public enum Reason {
        /** Same bundle, uid and generation: the same revision. */
        SAME_REVISION,
        /** Same uid, higher generation. */
        HIGHER_GENERATION,
        /** Same uid, lower generation: a stale input or a rollback. */
        LOWER_GENERATION,
        /** Same uid and generation (or another uid), captured later. */
        LATER_CAPTURE,
        /** Same uid and generation (or another uid), captured earlier. */
        EARLIER_CAPTURE,
        /** Another bundle with the same uid, generation and capture time: nothing says which is newer. */
        SAME_CAPTURE
    }

    /** The order and the rule that decided it. */
    public record Verdict(RevisionOrder order, Reason reason) {}

    /** What the order looks at of a revision: an {@link Entry}, or what a writer is about to record. */
    public record Revision(String uid, long generation, Instant capturedAt, BundleId bundle) {
        static Revision of(Entry e) {
            return new Revision(e.uid(), e.generation(), e.capturedAt(), e.bundle());
        }
    }

    /**
     * Orders {@code candidate} against {@code reference} by (uid, generation, capturedAt): with the same uid the
     * higher generation is newer, on equal generation the later capture; with different uids (the VM was deleted
     * and created again) the later capture. Equal bundle, uid and generation are SAME.
     */
    public static Verdict decide(Revision candidate, Revision reference) {
        boolean sameUid = candidate.uid().equals(reference.uid());
        if (sameUid
                && candidate.bundle().equals(reference.bundle())
                && candidate.generation() == reference.generation()) {
            return new Verdict(SAME, Reason.SAME_REVISION);
        }
        if (sameUid && candidate.generation() != reference.generation()) {
            return candidate.generation() > reference.generation()
                    ? new Verdict(NEWER, Reason.HIGHER_GENERATION)
                    : new Verdict(OLDER, Reason.LOWER_GENERATION);
        }
        int c = candidate.capturedAt().compareTo(reference.capturedAt());
        return c > 0
                ? new Verdict(NEWER, Reason.LATER_CAPTURE)
                : c < 0 ? new Verdict(OLDER, Reason.EARLIER_CAPTURE) : new Verdict(SAME, Reason.SAME_CAPTURE);
    }

    /** {@link #decide} for two entries. */
    public static Verdict decide(Entry candidate, Entry reference) {
        return decide(Revision.of(candidate), Revision.of(reference));
    }

    /** The order alone of {@link #decide}. */
    public static RevisionOrder compare(Entry candidate, Entry reference) {
        return decide(candidate, reference).order();
    }
}
