package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.time.Duration;

/** Retention and grace (repository-format.md §9). */
public record PrunePolicy(int keepLast, Duration keepWithin, Duration grace) {
    public PrunePolicy {
        if (keepLast < 1) {
            throw VmConfigException.config("prune keeps at least the last set (--keep-last ≥ 1)");
        }
        if (keepWithin.isNegative() || grace.isNegative()) {
            throw VmConfigException.config("durations must not be negative");
        }
    }

    /** Refuses a grace shorter than twice the longest backup run the repository allows. */
    public void checkAgainst(RootObject root) {
        if (grace.toSeconds() < 2 * root.maxRunSeconds()) {
            throw VmConfigException.config("--grace must be at least 2 × maxRunSeconds = "
                    + Duration.ofSeconds(2 * root.maxRunSeconds()) + " for prune to be safe during a backup");
        }
    }
}
