package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
        List<PrunePlanner.SetAge> ages = new ArrayList<>();
        Map<SetId, LoadedSet> loaded = new HashMap<>();
        for (SetId id : reader.sets()) {
            try {
                LoadedSet s = reader.load(id);
                loaded.put(id, s);
                ages.add(new PrunePlanner.SetAge(id, s.manifest().created()));
            } catch (VmConfigException e) {
                ages.add(new PrunePlanner.SetAge(id, now)); // unreadable: retention keeps it, verify reports it
            }
        }
        List<SetId> kept = PrunePlanner.retained(ages, now, policy);
        Set<String> referenced = new HashSet<>();
        for (SetId id : kept) {
            LoadedSet s = loaded.get(id);
            if (s != null) {
                s.manifest().buckets().forEach(b -> b.ifPresent(d -> referenced.add(ObjectNames.manifest(d))));
                s.entries().forEach(e -> referenced.add(e.objectName()));
            }
        }
        BlobStore store = reader.store();
        Map<String, Instant> unreferenced = new HashMap<>();
        for (String prefix : List.of(ObjectNames.BUNDLES, ObjectNames.MANIFESTS)) {
            for (String name : store.list(prefix)) {
                if (!referenced.contains(name)) {
                    store.head(name).ifPresent(i -> unreferenced.put(name, i.lastModified()));
                }
            }
        }
        PrunePlan plan = PrunePlanner.plan(ages, kept, unreferenced, readPending(store), now, policy);
        if (!dryRun) {
            plan.deleteSets().forEach(id -> store.delete(ObjectNames.set(id)));
            plan.deleteObjects().forEach(store::delete);
            writePending(store, plan.pending());
        }
        return plan;
    }

    static Map<String, Instant> readPending(BlobStore store) {
        Map<String, Instant> marks = new HashMap<>();
        store.get(ObjectNames.PENDING).ifPresent(b -> CanonicalJson.parseObject(b, ObjectNames.PENDING)
                .path("objects").fields().forEachRemaining(f -> marks.put(f.getKey(), Instant.parse(f.getValue().asText()))));
        return marks;
    }

    private static void writePending(BlobStore store, Map<String, Instant> pending) {
        ObjectNode o = CanonicalJson.object();
        o.put("format", 1);
        ObjectNode objects = o.putObject("objects");
        pending.forEach((k, v) -> objects.put(k, v.toString()));
        store.put(ObjectNames.PENDING, CanonicalJson.bytes(o));
    }
}
