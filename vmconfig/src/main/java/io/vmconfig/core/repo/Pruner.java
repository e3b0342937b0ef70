package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Gathers what {@link PrunePlanner} needs, then applies its plan (repository-format.md §9). */
public final class Pruner {
    private final RepoReader reader;
    private final Clock clock;

    public Pruner(RepoReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    /** Plans, and unless {@code dryRun} applies: sets first, then swept objects, then the new marks. */
    public PrunePlan prune(PrunePolicy policy, boolean dryRun) {
        policy.checkAgainst(reader.root());
        Instant now = clock.instant();
        // retention counts only the sets that verify against the operator's keys; every file under sets/ that
        // does not is named and left alone, and whatever a parseable one names is protected (§9)
        SetCensus census = SetCensus.take(reader);
        List<PrunePlanner.SetAge> ages = new ArrayList<>();
        for (SetManifest s : census.valid()) {
            ages.add(new PrunePlanner.SetAge(s.setId(), s.created()));
        }
        List<SetId> kept = PrunePlanner.retained(ages, now, policy);
        // every visible set protects what it names, dropped or not: its objects become candidates only in the
        // run after its manifest is gone (repository-format.md §9)
        Set<String> referenced = census.protectedObjects();
        BlobStore store = reader.store();
        Map<String, Instant> unreferenced = new HashMap<>();
        for (String prefix : List.of(ObjectNames.BUNDLES, ObjectNames.MANIFESTS)) {
            for (String name : store.list(prefix)) {
                if (!referenced.contains(name)) {
                    store.head(name).ifPresent(i -> unreferenced.put(name, i.lastModified()));
                }
            }
        }
        List<Problem> problems = new ArrayList<>(census.problems());
        PrunePlanner.Marks marks;
        try {
            marks = readPending(store);
        } catch (VmConfigException e) {
            if (e.kind() != VmConfigException.Kind.INTEGRITY) {
                throw e;
            }
            // unreadable marks only delay collection: every candidate is marked afresh (§9)
            problems.add(new Problem(ObjectNames.PENDING, e.getMessage() + "; marks start over"));
            marks = PrunePlanner.Marks.NONE;
        }
        PrunePlan planned = PrunePlanner.plan(ages, kept, unreferenced, marks, now, policy);
        // staging of a run that can no longer be sealed: older than grace >= 2 x maxRunSeconds (§11)
        List<String> sweep = new ArrayList<>(planned.deleteObjects());
        for (String name : store.list(Staging.PREFIX)) {
            store.head(name)
                    .filter(i -> !i.lastModified().isAfter(now.minus(policy.grace())))
                    .ifPresent(i -> sweep.add(name));
        }
        PrunePlan plan = new PrunePlan(
                planned.keptSets(),
                planned.deleteSets(),
                planned.pendingSets(),
                sweep,
                planned.pendingObjects(),
                problems);
        if (!dryRun) {
            plan.deleteSets().forEach(id -> store.delete(ObjectNames.set(id)));
            Instant cutoff = now.minus(policy.grace());
            for (String name : plan.deleteObjects()) {
                // a writer may have put this very name again since the listing (a retried upload of the same
                // content): its set may be about to name it, so only an object still older than grace goes
                if (store.head(name).map(i -> !i.lastModified().isAfter(cutoff)).orElse(false)) {
                    store.delete(name);
                }
            }
            writePending(store, plan);
        }
        return plan;
    }

    static PrunePlanner.Marks readPending(BlobStore store) {
        Map<SetId, Instant> sets = new HashMap<>();
        Map<String, Instant> objects = new HashMap<>();
        store.get(ObjectNames.PENDING).ifPresent(b -> {
            ObjectNode o = CanonicalJson.parseObject(b, ObjectNames.PENDING);
            try {
                o.path("sets")
                        .fields()
                        .forEachRemaining(f -> sets.put(
                                new SetId(f.getKey()),
                                Instant.parse(f.getValue().asText())));
                o.path("objects")
                        .fields()
                        .forEachRemaining(f -> objects.put(
                                f.getKey(), Instant.parse(f.getValue().asText())));
            } catch (java.time.DateTimeException | VmConfigException e) {
                throw new VmConfigException(VmConfigException.Kind.INTEGRITY, ObjectNames.PENDING + " is malformed");
            }
        });
        return new PrunePlanner.Marks(sets, objects);
    }

    private static void writePending(BlobStore store, PrunePlan plan) {
        ObjectNode o = CanonicalJson.object();
        o.put("format", 1);
        ObjectNode sets = o.putObject("sets");
        plan.pendingSets().forEach((k, v) -> sets.put(k.value(), v.toString()));
        ObjectNode objects = o.putObject("objects");
        plan.pendingObjects().forEach((k, v) -> objects.put(k, v.toString()));
        store.put(ObjectNames.PENDING, CanonicalJson.bytes(o));
    }
}
