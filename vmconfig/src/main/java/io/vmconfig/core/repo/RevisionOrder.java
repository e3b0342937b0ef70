package io.vmconfig.core.repo;

/** NEWER, SAME or OLDER: how a VM revision stands against another (repository-format.md §8). */
public enum RevisionOrder {
    NEWER, SAME, OLDER;

    /** Orders {@code candidate} against {@code reference} by (uid, generation, capturedAt). */
    public static RevisionOrder compare(Entry candidate, Entry reference) {
        if (candidate.bundle().equals(reference.bundle()) && candidate.uid().equals(reference.uid())
                && candidate.generation() == reference.generation()) {
            return SAME;
        }
        int c = 0;
        if (candidate.uid().equals(reference.uid())) {
            c = Long.compare(candidate.generation(), reference.generation());
        }
        if (c == 0) {
            c = candidate.capturedAt().compareTo(reference.capturedAt());
        }
        return c > 0 ? NEWER : c < 0 ? OLDER : SAME;
    }
}
