package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.JsonDiff;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, per VM of a set, what a sync does on DR: create, update (with a diff), unchanged, blocked (every reason)
 * or skipped (DR activated, running on DR, older than applied). Pure: the caller reads the set and the cluster.
 *
 * <p>"Unchanged" is exact: every written object carries the hash of what was written (without the set id), so the
 * same bundle restored again hashes the same and is not written; a new bundle always differs (its id is traced).
 */
public final class SyncPlanner {
    private final boolean allowRollback;

    public SyncPlanner(boolean allowRollback) {
        this.allowRollback = allowRollback;
    }

    public List<VmPlan> plan(SyncInput set, DrState dr) {
        Map<VmRef, Entry> entries = new HashMap<>();
        set.entries().forEach(e -> entries.put(e.key(), e));
        List<VmPlan> out = new ArrayList<>();
        for (VmResult r : set.results()) {
            out.add(plan(r, Optional.ofNullable(r.ref()).map(entries::get), set, dr));
        }
        return out;
    }

    private VmPlan plan(VmResult r, Optional<Entry> entry, SyncInput set, DrState dr) {
        boolean restorable = r.ok() && entry.isPresent();
        List<ObjectNode> docs = restorable
                ? r.documents().stream()
                        .map(d -> Trace.stamp(d, Trace.of(set.sourceCluster(), set.setId(), entry.get())))
                        .toList()
                : List.of();
        Optional<ObjectNode> desired = docs.isEmpty() ? Optional.empty() : Optional.of(docs.get(docs.size() - 1));
        Optional<DrVm> current = Optional.ofNullable(r.target()).flatMap(dr::vm);
        DrSafety.Verdict v = DrSafety.decide(new DrSafety.Facts(
                r.target(), dr.activatedFor(r.target()), current, entry, desired, restorable, allowRollback));
        // an adopted VM (failback: the original production VM) is written like any update, and says so
        boolean adopted = v.code().equals(ReasonCodes.ADOPTED);
        return switch (v.outcome()) {
            case SKIP -> skipped(r, entry, v);
            case REFUSE -> refused(r, entry, v);
            case APPLY ->
                current.isEmpty()
                        ? new VmPlan(r.ref(), r.target(), SyncAction.CREATE, List.of(), List.of(), docs, entry)
                        : new VmPlan(
                                r.ref(),
                                r.target(),
                                SyncAction.UPDATE,
                                adopted ? List.of(v.reason()) : List.of(),
                                drift(current.get().vm(), desired.orElseThrow()),
                                docs,
                                entry,
                                adopted ? List.of(v.code()) : List.of());
            case UNCHANGED -> {
                List<JsonDiff.Change> diff = drift(current.orElseThrow().vm(), desired.orElseThrow());
                yield new VmPlan(
                        r.ref(),
                        r.target(),
                        SyncAction.UNCHANGED,
                        diff.isEmpty()
                                ? List.of()
                                : List.of(diff.size()
                                        + " field(s) changed on DR since vmconfig wrote them (left as they are)"),
                        diff,
                        List.of(),
                        entry);
            }
        };
    }

    /** A refused VM: a failed restore keeps every reason and code it had; a foreign VM in the way is named. */
    private static VmPlan refused(VmResult r, Optional<Entry> entry, DrSafety.Verdict v) {
        if (!v.code().equals(ReasonCodes.RESTORE_FAILED)) {
            return new VmPlan(
                    r.ref(),
                    r.target(),
                    SyncAction.BLOCKED,
                    List.of(v.reason()),
                    List.of(),
                    List.of(),
                    entry,
                    List.of(v.code()));
        }
        List<String> why = r.details().isEmpty() ? List.of("not in the set's entries") : r.details();
        List<String> codes = !r.codes().isEmpty()
                ? r.codes()
                : List.of(entry.isEmpty() && r.ok() ? ReasonCodes.NOT_IN_SET : ReasonCodes.RESTORE_FAILED);
        return new VmPlan(r.ref(), r.target(), SyncAction.BLOCKED, why, List.of(), List.of(), entry, codes);
    }

    /**
     * The desired-state fields (labels, annotations, spec) that the desired VM sets differently from the current
     * one; fields only on the current side (server defaults, other controllers' annotations) are not differences.
     */
    static List<JsonDiff.Change> drift(ObjectNode current, ObjectNode desired) {
        return JsonDiff.diff(desiredFields(current), desiredFields(desired)).stream()
                .filter(c -> c.op() != '-')
                .toList();
    }

    private static JsonNode desiredFields(ObjectNode vm) {
        ObjectNode o = Json.object();
        o.set("labels", vm.path("metadata").path("labels").deepCopy());
        ObjectNode a = vm.path("metadata").path("annotations").isObject()
                ? ((ObjectNode) vm.path("metadata").path("annotations")).deepCopy()
                : Json.object();
        a.remove(Annotations.SET_ID);
        o.set("annotations", a);
        o.set("spec", vm.path("spec").deepCopy());
        return o;
    }

    private static VmPlan skipped(VmResult r, Optional<Entry> entry, DrSafety.Verdict v) {
        return new VmPlan(
                r.ref(),
                r.target(),
                SyncAction.SKIPPED,
                List.of(v.reason()),
                List.of(),
                List.of(),
                entry,
                List.of(v.code()));
    }

    /**
     * DR VMs to delete with {@code --prune-deleted}: written by vmconfig from the same source cluster, whose source
     * VM is not in the set, and halted. Running or foreign VMs are never deleted; nothing is deleted when activated.
     */
    public static List<VmPlan> pruneDeleted(SyncInput set, DrState dr) {
        Set<VmRef> sources = new HashSet<>();
        set.entries().forEach(e -> sources.add(e.key()));
        List<VmPlan> out = new ArrayList<>();
        for (DrVm vm : dr.vms().values()) {
            Optional<String> ns = vm.annotation(Annotations.SOURCE_NAMESPACE);
            Optional<String> name = vm.annotation(Annotations.SOURCE_NAME);
            if (!mayDelete(vm, dr.activatedFor(vm.ref()))
                    || ns.isEmpty()
                    || name.isEmpty()
                    || !vm.annotation(Annotations.SOURCE_CLUSTER).equals(Optional.of(set.sourceCluster()))) {
                continue;
            }
            VmRef source = new VmRef(ns.get(), name.get());
            if (!sources.contains(source)) {
                out.add(new VmPlan(
                        source,
                        vm.ref(),
                        SyncAction.DELETE,
                        List.of("its source VM " + source + " is not in set " + set.setId()),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(ReasonCodes.SOURCE_DELETED)));
            }
        }
        out.sort(java.util.Comparator.comparing(VmPlan::name));
        return out;
    }

    /**
     * Whether the DR-safety rules let {@code vm} be deleted: what they let be overwritten (managed, halted, not
     * activated, the site not activated), whatever its revision.
     */
    public static boolean mayDelete(DrVm vm, boolean siteActivated) {
        return DrSafety.decide(new DrSafety.Facts(
                        vm.ref(), siteActivated, Optional.of(vm), Optional.empty(), Optional.empty(), true, true))
                .writes();
    }
}
