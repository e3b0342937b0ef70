package io.vmconfig.core.repo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Pure prune planning (repository-format.md §9); {@link Pruner} gathers the inputs and applies the plan. */
public final class PrunePlanner {
    private PrunePlanner() {}

    /** A set as retention sees it. */
    public record SetAge(SetId id, Instant created) {}

    /** Keeps the newest {@code keepLast} sets and every set younger than {@code keepWithin}. */
    public static List<SetId> retained(List<SetAge> sets, Instant now, PrunePolicy policy) {
        List<SetAge> newestFirst = sets.stream()
                .sorted(Comparator.comparing(SetAge::id).reversed())
                .toList();
        List<SetId> keep = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            SetAge s = newestFirst.get(i);
            if (i < policy.keepLast() || !s.created().isBefore(now.minus(policy.keepWithin()))) {
                keep.add(s.id());
            }
        }
        return keep;
    }

    /**
     * Mark and sweep, for sets and objects alike. {@code unreferenced} maps each object that no visible set names
     * (kept, dropped or marked) to its last-modified time; {@code previous} holds the marks of the last run.
     */
    public static PrunePlan plan(
            List<SetAge> sets,
            List<SetId> kept,
            Map<String, Instant> unreferenced,
            Marks previous,
            Instant now,
            PrunePolicy policy) {
        Instant limit = now.minus(policy.grace());
        Set<SetId> keptSet = Set.copyOf(kept);
        List<SetId> deleteSets = new ArrayList<>();
        Map<SetId, Instant> pendingSets = new TreeMap<>();
        sets.stream()
                .map(SetAge::id)
                .filter(id -> !keptSet.contains(id))
                .sorted()
                .forEach(id -> {
                    Instant marked = previous.sets().get(id);
                    if (marked != null && !marked.isAfter(limit)) {
                        deleteSets.add(id);
                    } else {
                        pendingSets.put(id, marked != null ? marked : now);
                    }
                });
        List<String> delete = new ArrayList<>();
        Map<String, Instant> pending = new TreeMap<>();
        unreferenced.forEach((name, modified) -> {
            if (modified.isAfter(limit)) {
                return;
            }
            Instant marked = previous.objects().get(name);
            if (marked != null && !marked.isAfter(limit)) {
                delete.add(name);
            } else {
                pending.put(name, marked != null ? marked : now);
            }
        });
        delete.sort(null);
        return new PrunePlan(kept, deleteSets, pendingSets, delete, pending, List.of());
    }

    /** The marks a prune run leaves for the next ({@code prune/pending.json}). */
    public record Marks(Map<SetId, Instant> sets, Map<String, Instant> objects) {
        public static final Marks NONE = new Marks(Map.of(), Map.of());
    }
}
