package io.vmconfig.core.repo;

/** How many sub-manifest buckets a set uses (repository-format.md §6, "Fanout"). */
public final class Fanout {
    public static final int MAX = 4096;

    private Fanout() {}

    /** Keeps {@code previous} while 2 ≤ n/previous ≤ 32, else the power of two nearest n/4 (1 … 4096). */
    public static int choose(int previous, int vmCount) {
        if (previous >= 1 && (long) previous * 2 <= vmCount && vmCount <= (long) previous * 32) {
            return previous;
        }
        double target = Math.max(1.0, vmCount / 4.0);
        int f = 1;
        while (f < MAX && Math.abs(Math.log(f * 2.0 / target)) < Math.abs(Math.log(f / target))) {
            f *= 2;
        }
        return f;
    }
}
