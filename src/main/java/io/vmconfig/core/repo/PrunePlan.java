package io.vmconfig.core.repo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one prune run does, as a value (repository-format.md §9): the sets retention drops, the objects it sweeps
 * (marked by an earlier run at least {@code grace} ago and still unreferenced) and the new pending marks.
 */
public record PrunePlan(List<SetId> keptSets, List<SetId> deleteSets, List<String> deleteObjects,
                        Map<String, Instant> pending) {
    public PrunePlan {
        keptSets = List.copyOf(keptSets);
        deleteSets = List.copyOf(deleteSets);
        deleteObjects = List.copyOf(deleteObjects);
        pending = Map.copyOf(pending);
    }
}
