package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What lies under {@code sets/}, as retention must see it (repository-format.md §9): the sets that verify against
 * the operator's keys with every sub-manifest readable ({@code valid}, the only ones retention counts or deletes),
 * the files that do not ({@code problems}, named), and every object any set manifest that parses names, verified
 * or not ({@code protectedObjects}): a foreign or damaged set is never a reason to delete what it points at.
 */
public record SetCensus(List<SetManifest> valid, List<Problem> problems, Set<String> protectedObjects) {

    public SetCensus {
        valid = List.copyOf(valid);
        problems = List.copyOf(problems);
        protectedObjects = Set.copyOf(protectedObjects);
    }

    /**
     * Reads every file under {@code sets/}. TRANSIENT and IO failures stop it: retention is never planned from a
     * partial view of the sets.
     */
    public static SetCensus take(RepoReader reader) {
        List<SetManifest> valid = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        for (String name : reader.store().list(ObjectNames.SETS)) {
            SetId id = SetId.fromObjectName(name);
            if (id == null) {
                problems.add(new Problem(name, "is not a set manifest name (sets/<set-id>.json); ignored"));
                continue;
            }
            try {
                LoadedSet s = reader.load(id);
                names(s, named);
                if (s.problems().isEmpty()) {
                    valid.add(s.manifest()); // not its entries: prune reads every set, one at a time (Memory)
                } else {
                    s.problems().forEach(p -> problems.add(new Problem(name, "not counted by retention: " + p)));
                }
            } catch (VmConfigException e) {
                if (e.kind() == VmConfigException.Kind.CONFIG) {
                    continue; // listed, then deleted by a concurrent prune: it is gone, nothing to count
                }
                requireIntegrity(e);
                problems.add(new Problem(name, e.getMessage()));
                try {
                    names(reader.loadUnverified(id), named);
                } catch (VmConfigException unreadable) {
                    requireIntegrity(unreadable); // not even parseable: it names nothing
                }
            }
        }
        return new SetCensus(valid, problems, named);
    }

    private static void names(LoadedSet s, Set<String> out) {
        s.manifests().forEach(d -> out.add(ObjectNames.manifest(d)));
        s.entries().forEach(e -> out.addAll(e.objectNames()));
    }

    private static void requireIntegrity(VmConfigException e) {
        if (e.kind() != VmConfigException.Kind.INTEGRITY) {
            throw e;
        }
    }
}
