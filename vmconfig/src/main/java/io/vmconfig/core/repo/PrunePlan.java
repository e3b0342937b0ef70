package io.vmconfig.core.repo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one prune run does, as a value (repository-format.md §9): the sets retention has dropped for at least the
 * grace period (their manifests are deleted), the sets it drops now (marked), the objects it sweeps (marked by an
 * earlier run at least {@code grace} ago and still unreferenced), the new object marks, and the files under
 * {@code sets/} that do not verify: named, never counted, never deleted (§9).
 */
public record PrunePlan(
        List<SetId> keptSets,
        List<SetId> deleteSets,
        Map<SetId, Instant> pendingSets,
        List<String> deleteObjects,
        Map<String, Instant> pendingObjects,
        List<Problem> problems) {
    public PrunePlan {
        keptSets = List.copyOf(keptSets);
        deleteSets = List.copyOf(deleteSets);
        pendingSets = Map.copyOf(pendingSets);
        deleteObjects = List.copyOf(deleteObjects);
        pendingObjects = Map.copyOf(pendingObjects);
        problems = List.copyOf(problems);
    }
}
