package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;

import io.vmconfig.core.VmConfigException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The previous set a backup dedups against (repository-format.md §9): a writer reuses only objects its parent
 * names, never objects it merely sees in a listing.
 */
record Parent(int fanout, Map<VmRef, Entry> entries, Map<BundleId, Entry> bundles, Set<Digest> subManifests) {
    static final Parent NONE = new Parent(0, Map.of(), Map.of(), Set.of());

    /** The latest set readable with {@code reader}'s trust, or NONE (with a warning) when there is none usable. */
    static Parent latest(RepoReader reader, List<String> warnings) {
        Optional<SetId> latest = reader.latest();
        if (latest.isEmpty()) {
            return NONE;
        }
        LoadedSet set;
        try {
            set = reader.load(latest.get());
        } catch (VmConfigException e) {
            if (e.kind() != VmConfigException.Kind.INTEGRITY) {
                throw e; // a store that fails now must fail the run, not turn it into a full upload
            }
            warnings.add("previous set " + latest.get() + " is unusable, uploading everything: " + e.getMessage());
            return NONE;
        }
        if (!set.problems().isEmpty()) {
            warnings.add("previous set " + latest.get() + " has problems, uploading everything: " + set.problems());
            return NONE;
        }
        Map<VmRef, Entry> entries = new HashMap<>();
        Map<BundleId, Entry> bundles = new HashMap<>();
        for (Entry e : set.entries()) {
            entries.put(e.key(), e);
            bundles.putIfAbsent(e.bundle(), e);
        }
        Set<Digest> subs = new HashSet<>();
        set.manifest().buckets().forEach(b -> b.ifPresent(subs::add));
        return new Parent(set.manifest().fanout(), entries, bundles, subs);
    }
}
