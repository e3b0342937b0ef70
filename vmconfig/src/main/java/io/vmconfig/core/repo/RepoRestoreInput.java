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

    public static RepoRestoreInput read(
            RepoReader reader, LoadedSet set, AppliedRevisions applied, boolean allowOlder) {
        List<SourcedObject> objects = new ArrayList<>();
        List<Entry> admitted = new ArrayList<>();
        List<VmResult> refused = new ArrayList<>();
        Flags flags = each(
                reader,
                set,
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

    /**
     * The same, one VM at a time, so that a restore of a 100,000-VM set holds one bundle at a time
     * (docs/architecture.md, "Memory"): {@code admitted} gets each admitted entry with the objects of its bundle (the
     * VM, then its dependencies), in the set's order; {@code refused} each VM (or manifest object) refused, the set's
     * problems first.
     */
    public static Flags each(
            RepoReader reader,
            LoadedSet set,
            AppliedRevisions applied,
            boolean allowOlder,
            java.util.function.BiConsumer<Entry, List<SourcedObject>> admitted,
            java.util.function.Consumer<VmResult> refused) {
        boolean integrity = !set.problems().isEmpty();
        boolean older = false;
        set.problems().forEach(p -> refused.accept(VmResult.failed(null, p.object(), "refused: " + p.message())));
        for (Entry e : set.entries()) {
            String origin = "set " + set.manifest().setId() + " " + e.key() + "@" + e.revision();
            AppliedRevisions.Admission a = applied.admit(e, allowOlder);
            if (!a.admitted()) {
                older = true;
                refused.accept(VmResult.failed(
                        e.key(),
                        origin,
                        "refused: revision " + e.revision() + " (generation "
                                + e.generation() + ") is older than the applied revision "
                                + a.previous().get().revision()
                                + " (generation " + a.previous().get().generation()
                                + "); pass --allow-older to roll back"));
                continue;
            }
            List<SourcedObject> objects = new ArrayList<>();
            try {
                JsonNode bundle = reader.bundle(e);
                objects.add(new SourcedObject(origin, bundle.get("vm")));
                bundle.path("dependencies").forEach(d -> objects.add(new SourcedObject(origin, d)));
            } catch (VmConfigException ex) {
                integrity |= ex.kind() == VmConfigException.Kind.INTEGRITY;
                refused.accept(VmResult.failed(e.key(), origin, "refused: " + ex.getMessage()));
                continue;
            }
            admitted.accept(e, objects);
        }
        return new Flags(integrity, older);
    }
}
