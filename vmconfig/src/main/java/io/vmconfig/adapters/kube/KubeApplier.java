package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.restore.NewClaims;
import io.vmconfig.core.sync.DrSafety;
import io.vmconfig.core.sync.DrVm;
import io.vmconfig.core.sync.SafetyRefused;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.Trace;
import io.vmconfig.core.sync.VmPlan;
import io.vmconfig.core.vm.Annotations;
import java.util.List;
import java.util.Optional;

/**
 * Writes a plan on DR: dependencies before the VM, each object created or updated in place (never deleted and
 * recreated) with its resourceVersion, so a concurrent change is a 409 that is retried on a fresh read. An object
 * whose desired hash is already there is not written. A VM found running at write time is refused.
 */
public final class KubeApplier {
    public static final int CONFLICT_RETRIES = 5;
    private final KubeCluster dr;
    private final boolean allowRollback;
    private final java.util.concurrent.ConcurrentMap<String, Object> namespaces =
            new java.util.concurrent.ConcurrentHashMap<>();

    public KubeApplier(KubeCluster dr) {
        this(dr, false);
    }

    /** {@code allowRollback}: as the plan was made, so that the guard asks the same question again. */
    public KubeApplier(KubeCluster dr, boolean allowRollback) {
        this.dr = dr;
        this.allowRollback = allowRollback;
    }

    /** Applies one VM's plan; returns the number of objects written. */
    public int apply(VmPlan plan) {
        if (plan.action() == SyncAction.DELETE) {
            return delete(plan);
        }
        if (!plan.action().writes()) {
            return 0;
        }
        List<ObjectNode> docs = plan.documents();
        int written = ensureNamespace(plan.target().namespace());
        for (int i = 0; i < docs.size(); i++) {
            written += applyOne(docs.get(i), i == docs.size() - 1, plan.entry());
        }
        return written;
    }

    /**
     * A mapped namespace may not exist on DR yet: created (labelled as vmconfig's) once per applier. Workers applying
     * VMs of the same namespace at once wait for the first one's check; an AlreadyExists (409) from someone else's
     * create in between means the namespace is there.
     */
    public int ensureNamespace(String ns) {
        Object mine = new Object();
        Object seen;
        synchronized (mine) {
            seen = namespaces.putIfAbsent(ns, mine);
            if (seen == null) {
                return createNamespace(ns);
            }
        }
        synchronized (seen) {
            return 0; // the first worker's check (and create) is over once it releases its lock
        }
    }

    private int createNamespace(String ns) {
        if (dr.get(KubeKind.NAMESPACE, null, ns).isPresent()) {
            return 0;
        }
        ObjectNode n = Json.object();
        n.put("apiVersion", "v1").put("kind", "Namespace");
        n.putObject("metadata").put("name", ns).putObject("labels").put(Annotations.MANAGED_LABEL, "true");
        try {
            dr.create(KubeKind.NAMESPACE, n);
        } catch (VmConfigException e) {
            if (KubeErrors.isConflict(e)) {
                return 0;
            }
            throw e;
        }
        return 1;
    }

    /** {@code entry}: the revision the VM of the plan carries, if known. */
    private int applyOne(ObjectNode doc, boolean isVm, Optional<Entry> entry) {
        KubeKind kind =
                KubeKind.of(doc.path("apiVersion").asText(), doc.path("kind").asText());
        String ns = doc.path("metadata").path("namespace").asText(null);
        String name = doc.path("metadata").path("name").asText();
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> cur = dr.get(kind, ns, name);
            try {
                if (cur.isEmpty()) {
                    dr.create(kind, doc);
                    return 1;
                }
                if (refuseForeignDisk(cur.get(), doc)) {
                    return 0; // a disk vmconfig created is never updated: its data belongs to the copy
                }
                if (isVm) {
                    DrSafety.Verdict v = guard(cur.get(), entry, Optional.of(doc), allowRollback);
                    if (v.outcome() == DrSafety.Outcome.UNCHANGED) {
                        return 0;
                    }
                } else if (Trace.unchanged(cur.get(), doc)) {
                    return 0;
                }
                dr.update(kind, merge(cur.get(), doc));
                return 1;
            } catch (VmConfigException e) {
                if (!KubeErrors.isConflict(e) || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * A disk vmconfig creates for a copy (labelled so) may only ever be the one it created for that VM: an existing
     * PVC of the same name that is not is refused, never attached. True when {@code desired} is such a disk and the
     * existing one is vmconfig's own.
     */
    public static boolean refuseForeignDisk(ObjectNode existing, ObjectNode desired) {
        if (!KubeKind.PVC.kind().equals(desired.path("kind").asText())
                || !NewClaims.CREATED_BY.equals(desired.path("metadata")
                        .path("labels")
                        .path(Annotations.CREATED_BY_LABEL)
                        .asText())) {
            return false;
        }
        String owner = desired.path("metadata")
                .path("labels")
                .path(Annotations.CREATED_FOR_LABEL)
                .asText();
        JsonNode labels = existing.path("metadata").path("labels");
        if (!NewClaims.CREATED_BY.equals(
                        labels.path(Annotations.CREATED_BY_LABEL).asText())
                || !owner.equals(labels.path(Annotations.CREATED_FOR_LABEL).asText())) {
            throw new VmConfigException(
                    VmConfigException.Kind.REFUSED,
                    "PersistentVolumeClaim "
                            + existing.path("metadata").path("namespace").asText() + "/"
                            + existing.path("metadata").path("name").asText() + " already exists and was not created by"
                            + " vmconfig for this VM: a copy never uses a disk it did not create");
        }
        return true;
    }

    /**
     * The last-moment guard: the DR-safety decision again, on the VM as read just before the write (whose
     * resourceVersion the write carries, so an activation in between is a conflict, read again). The site flag was
     * read when planning; what can change here is the VM itself: activated, started, taken over, newer.
     */
    private static DrSafety.Verdict guard(
            ObjectNode current, Optional<Entry> incoming, Optional<ObjectNode> desired, boolean allowRollback) {
        DrVm vm = new DrVm(current, false);
        DrSafety.Verdict v = DrSafety.decide(
                new DrSafety.Facts(vm.ref(), false, Optional.of(vm), incoming, desired, true, allowRollback));
        if (v.outcome() == DrSafety.Outcome.SKIP || v.outcome() == DrSafety.Outcome.REFUSE) {
            throw new SafetyRefused("update of VirtualMachine " + vm.ref(), v);
        }
        return v;
    }

    /**
     * The object to PUT: the desired object with the current metadata (resourceVersion, uid, finalizers, owner
     * references), its labels and annotations merged (vmconfig's own annotations replaced), and the current status.
     */
    static ObjectNode merge(ObjectNode current, ObjectNode desired) {
        ObjectNode out = desired.deepCopy();
        ObjectNode meta = current.path("metadata").deepCopy();
        meta.remove("managedFields");
        ObjectNode labels = Json.ensureObject(meta, "labels");
        desired.path("metadata").path("labels").properties().forEach(e -> labels.set(e.getKey(), e.getValue()));
        ObjectNode annotations = Json.ensureObject(meta, "annotations");
        annotations.retain(List.copyOf(iterable(annotations)).stream()
                .filter(k -> !k.startsWith(Annotations.PREFIX))
                .toList());
        desired.path("metadata")
                .path("annotations")
                .properties()
                .forEach(e -> annotations.set(e.getKey(), e.getValue()));
        out.set("metadata", meta);
        if (current.has("status")) {
            out.set("status", current.get("status").deepCopy());
        }
        return out;
    }

    private static List<String> iterable(ObjectNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private int delete(VmPlan plan) {
        String ns = plan.target().namespace();
        String name = plan.target().name();
        Optional<ObjectNode> cur = dr.get(KubeKind.VM, ns, name);
        if (cur.isEmpty()) {
            return 0;
        }
        guard(cur.get(), Optional.empty(), Optional.empty(), true);
        dr.delete(KubeKind.VM, ns, name);
        return 1;
    }
}
