package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;

import java.util.List;
import java.util.Optional;

/**
 * A verified set manifest with the entries of every readable sub-manifest; a sub-manifest that is missing or
 * corrupt is a {@link Problem} and its VMs are absent (repository-format.md §7, step 3).
 */
public record LoadedSet(SetManifest manifest, List<Entry> entries, List<Problem> problems) {
    public LoadedSet {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    public Optional<Entry> entry(VmRef key) {
        return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }
}
