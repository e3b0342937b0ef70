package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A verified set manifest with the entries of every readable sub-manifest or tree node; a manifest object that is
 * missing or corrupt is a {@link Problem} and its VMs are absent (repository-format.md §7, step 3). {@code manifests}
 * are the names of every manifest object the set names that this load saw (read or not), which prune protects and a
 * writer deduplicates against; {@code overlayChanges} counts the changes in a format 3 set's overlay (§6.2).
 */
public record LoadedSet(
        SetManifest manifest, List<Entry> entries, List<Problem> problems, Set<Digest> manifests, int overlayChanges) {
    public LoadedSet {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
        manifests = Set.copyOf(manifests);
    }

    public Optional<Entry> entry(VmRef key) {
        return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }
}
