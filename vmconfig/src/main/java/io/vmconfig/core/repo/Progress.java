package io.vmconfig.core.repo;

/** Progress of a long run: {@code done} of {@code total} items of a phase. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (phase, done, total) -> {};

    void update(String phase, long done, long total);
}
