package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.batch.VmResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The input of a DR restore read from a set: the objects of every bundle that passes its checks, and a failed
 * result for each VM whose bundle does not, or whose revision is older than the one applied (repository-format.md
 * §7, §8). The VMs that pass go on to the same restore batch as files do.
 */
public record RepoRestoreInput(
        List<SourcedObject> objects,
        List<Entry> admitted,
        List<VmResult> refused,
        boolean integrityFailure,
        boolean olderRefused) {

    public static RepoRestoreInput read(RepoReader reader, LoadedSet set, Admit applied, boolean allowOlder) {
        List<SourcedObject> objects = new ArrayList<>();
        List<Entry> admitted = new ArrayList<>();
        List<VmResult> refused = new ArrayList<>();
        Flags flags = each(
                reader,
                set.manifest().setId(),
                entriesOf(set),
                applied,
                allowOlder,
                (e, vmObjects) -> {
                    objects.addAll(vmObjects);
                    admitted.add(e);
                },
                refused::add);
        return new RepoRestoreInput(objects, admitted, refused, flags.integrityFailure(), flags.olderRefused());
    }

    /** What a restore from a set found beyond the VMs it restores: an integrity failure, an older revision refused. */
    public record Flags(boolean integrityFailure, boolean olderRefused) {}

    /** What decides whether an entry may be applied (§8): {@link AppliedRevisions}, or {@link AppliedRecord}. */
    public interface Admit {
        AppliedRevisions.Admission admit(Entry incoming, boolean allowOlder);
    }

    /**
     * The same, one VM at a time, so that a restore of a 100,000-VM set holds one bundle at a time
     * (docs/architecture.md, "Memory"): {@code source} hands over the set's problems and entries ({@link #entriesOf}
     * a loaded set's, or {@code w -> reader.each(manifest, w)} the whole set as the walk meets them, in path order as
     * an {@link AppliedRecord} needs); {@code admitted} gets each admitted entry with the objects of its bundle (the
     * VM, then its dependencies), in that order; {@code refused} each VM (or manifest object) refused.
     */
    public static Flags each(
            RepoReader reader,
            SetId setId,
            java.util.function.Consumer<RepoReader.SetWalk> source,
            Admit applied,
            boolean allowOlder,
            java.util.function.BiConsumer<Entry, List<SourcedObject>> admitted,
            java.util.function.Consumer<VmResult> refused) {
        boolean[] flags = new boolean[2]; // integrity failure, older refused
        source.accept(new RepoReader.SetWalk() {
            @Override
            public void problem(Problem p) {
                flags[0] = true;
                refused.accept(VmResult.failed(null, p.object(), "refused: " + p.message()));
            }

            @Override
            public void entry(Entry e) {
                String origin = "set " + setId + " " + e.key() + "@" + e.revision();
                AppliedRevisions.Admission a = applied.admit(e, allowOlder);
                if (!a.admitted()) {
                    flags[1] = true;
                    refused.accept(VmResult.failed(
                            e.key(),
                            origin,
                            "refused: revision " + e.revision() + " (generation "
                                    + e.generation() + ") is older than the applied revision "
                                    + a.previous().get().revision()
                                    + " (generation " + a.previous().get().generation()
                                    + "); pass --allow-older to roll back"));
                    return;
                }
                List<SourcedObject> objects = new ArrayList<>();
                try {
                    JsonNode bundle = reader.bundle(e);
                    objects.add(new SourcedObject(origin, bundle.get("vm")));
                    bundle.path("dependencies").forEach(d -> objects.add(new SourcedObject(origin, d)));
                } catch (VmConfigException ex) {
                    flags[0] |= ex.kind() == VmConfigException.Kind.INTEGRITY;
                    refused.accept(VmResult.failed(e.key(), origin, "refused: " + ex.getMessage()));
                    return;
                }
                admitted.accept(e, objects);
            }
        });
        return new Flags(flags[0], flags[1]);
    }

    /** The problems, then the entries of a loaded set, for {@link #each}. */
    public static java.util.function.Consumer<RepoReader.SetWalk> entriesOf(LoadedSet set) {
        return w -> {
            set.problems().forEach(w::problem);
            set.entries().forEach(w::entry);
        };
    }
}
