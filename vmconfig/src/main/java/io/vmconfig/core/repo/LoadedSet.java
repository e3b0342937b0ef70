package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A verified set manifest with the entries of every readable sub-manifest or tree node; a manifest object that is
 * missing or corrupt is a {@link Problem} and its VMs are absent (repository-format.md §7, step 3). {@code manifests}
 * are the names of every manifest object the set names that this load saw (read or not), which prune protects;
 * {@code contentNames} gives each tree node read its content name (§5.6), by which a writer whose parent this set is
 * reuses the node (a salted node's name differs from run to run); {@code overlayChanges} counts the changes in a
 * format 3 set's overlay (§6.2).
 */
public record LoadedSet(
        SetManifest manifest,
        List<Entry> entries,
        List<Problem> problems,
        Set<Digest> manifests,
        Map<Digest, Digest> contentNames,
        int overlayChanges) {
    public LoadedSet {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
        manifests = Set.copyOf(manifests);
        contentNames = Map.copyOf(contentNames);
    }

    public Optional<Entry> entry(VmRef key) {
        return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }
}
