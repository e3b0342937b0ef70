package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The previous set a backup dedups against (repository-format.md §9): a writer reuses only objects its parent
 * names, never objects it merely sees in a listing.
 */
record Parent(
        int fanout,
        Map<VmRef, Entry> entries,
        Map<BundleId, Entry> bundles,
        Map<Digest, Digest> nodesByContent,
        Optional<SetManifest.Tree> tree,
        int overlayChanges,
        Optional<Dictionary> dictionary,
        Optional<Dictionary> secretDictionary) {
    static final Parent NONE =
            new Parent(0, Map.of(), Map.of(), Map.of(), Optional.empty(), 0, Optional.empty(), Optional.empty());

    /**
     * The newest set that verifies with {@code reader}'s trust and whose sub-manifests are all readable, or NONE
     * when there is none. Newer sets that do not verify (garbage, foreign signers, missing sub-manifests) are
     * skipped with a warning: they are never a parent, and since a bundle's name fixes its bytes (§5.2) uploading
     * again what they name is harmless.
     */
    static Parent latest(RepoReader reader, List<String> warnings) {
        List<SetId> sets = reader.sets();
        for (int i = sets.size() - 1; i >= 0; i--) {
            SetId id = sets.get(i);
            LoadedSet set;
            try {
                set = reader.load(id);
            } catch (VmConfigException e) {
                if (e.kind() == VmConfigException.Kind.CONFIG) {
                    continue; // listed but deleted since (a listing may lag a prune): not a parent
                }
                if (e.kind() != VmConfigException.Kind.INTEGRITY) {
                    throw e; // a store that fails now must fail the run, not turn it into a full upload
                }
                warnings.add("set " + id + " is not a usable parent, skipped: " + e.getMessage());
                continue;
            }
            if (!set.problems().isEmpty()) {
                warnings.add("set " + id + " is not a usable parent, skipped: " + set.problems());
                continue;
            }
            Optional<Dictionary> dictionary;
            Optional<Dictionary> secretDictionary;
            try {
                dictionary = set.manifest()
                        .treeForm()
                        .flatMap(SetManifest.Tree::dictionary)
                        .map(d -> reader.dictionary(d, false));
                secretDictionary = reader.canDecrypt()
                        ? set.manifest()
                                .treeForm()
                                .flatMap(SetManifest.Tree::secretDictionary)
                                .map(d -> reader.dictionary(d, true))
                        : Optional.empty();
            } catch (VmConfigException e) {
                if (e.kind() != VmConfigException.Kind.INTEGRITY) {
                    throw e;
                }
                warnings.add("set " + id + " is not a usable parent, skipped: " + e.getMessage());
                continue;
            }
            return of(set, dictionary, secretDictionary);
        }
        return NONE;
    }

    private static Parent of(LoadedSet set, Optional<Dictionary> dictionary, Optional<Dictionary> secretDictionary) {
        Map<VmRef, Entry> entries = new HashMap<>();
        Map<BundleId, Entry> bundles = new HashMap<>();
        for (Entry e : set.entries()) {
            entries.put(e.key(), e);
            bundles.putIfAbsent(e.bundle(), e);
        }
        // only this set's nodes: a writer reuses what its parent names, never what another set it read named (§9); a
        // sub-manifest of versions 1 and 2 is never salted: its content name is its name
        Map<Digest, Digest> byContent = new HashMap<>();
        set.manifests().forEach(d -> byContent.put(set.contentNames().getOrDefault(d, d), d));
        return new Parent(
                set.manifest().fanout(),
                entries,
                bundles,
                byContent,
                set.manifest().treeForm(),
                set.overlayChanges(),
                dictionary,
                secretDictionary);
    }
}
