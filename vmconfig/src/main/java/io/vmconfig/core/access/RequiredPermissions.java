package io.vmconfig.core.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import io.vmconfig.core.vm.VmRef;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a writing command will ask of the API server, computed from its plan before anything is written: one
 * {@link Permission} per verb, resource and namespace, each as the writer uses it (the DR applier reads each object,
 * then creates or updates it; an import reads and creates, never updates; a prune reads and deletes a VM; a missing
 * target namespace is created). Pure: the kind of an object is resolved to its resource by the function given (the
 * adapter knows the plurals), whether a namespace exists is asked of the predicate given.
 */
public final class RequiredPermissions {
    public static final ApiResource NAMESPACES = new ApiResource("", "namespaces", false);
    public static final ApiResource VIRTUAL_MACHINES = new ApiResource("kubevirt.io", "virtualmachines", true);
    public static final ApiResource CONFIG_MAPS = new ApiResource("", "configmaps", true);
    public static final ApiResource EVENTS = new ApiResource("", "events", true);
    public static final ApiResource LEASES = new ApiResource("coordination.k8s.io", "leases", true);
    private final Function<ObjectNode, ApiResource> resolve;
    private final Predicate<String> namespaceExists;
    private final TreeSet<Permission> needed = new TreeSet<>();

    /**
     * {@code resolve} gives an object's resource; {@code namespaceExists} says whether a target namespace is already
     * there (else creating it is needed too, cluster-wide).
     */
    public RequiredPermissions(Function<ObjectNode, ApiResource> resolve, Predicate<String> namespaceExists) {
        this.resolve = resolve;
        this.namespaceExists = namespaceExists;
    }

    /** Every permission needed so far, sorted by namespace, resource and verb. */
    public List<Permission> list() {
        return List.copyOf(needed);
    }

    /** {@code restore --context} and {@code sync}: what the DR applier does with each plan that writes. */
    public RequiredPermissions toApply(List<VmPlan> plans) {
        for (VmPlan p : plans) {
            if (p.action() == SyncAction.DELETE) {
                add(VIRTUAL_MACHINES, p.target().namespace(), "get", "delete");
            } else if (p.action().writes()) {
                namespace(p.target().namespace());
                p.heads().forEach(d -> object(d, "get", "create", "update")); // heads: a streamed plan's too
            }
        }
        return this;
    }

    /** {@code import}: each VM that restored and its dependencies are read and created, never updated. */
    public RequiredPermissions toImport(List<VmResult> results) {
        results.stream().filter(VmResult::ok).forEach(r -> toCreate(r.documents()));
        return this;
    }

    /** Objects read and created (never updated) in their namespaces, which are created when missing. */
    public RequiredPermissions toCreate(List<ObjectNode> objects) {
        for (ObjectNode d : objects) {
            String ns = d.path("metadata").path("namespace").asText(null);
            if (ns != null) {
                namespace(ns);
            }
            object(d, "get", "create");
        }
        return this;
    }

    /** The DR state ConfigMap ({@code activate}, {@code deactivate}) is read, then created or updated. */
    public RequiredPermissions toRecordActivation(String stateNamespace) {
        return add(CONFIG_MAPS, stateNamespace, "get", "create", "update");
    }

    /**
     * {@code activate} and {@code deactivate}: each VM named read and updated in its namespace (its mark), or with
     * {@code vms} empty ({@code --all}) the site state and every managed VM listed and updated in any namespace.
     */
    public RequiredPermissions toActivate(String stateNamespace, List<VmRef> vms) {
        if (vms.isEmpty()) {
            toRecordActivation(stateNamespace);
            return add(VIRTUAL_MACHINES, null, "list", "update");
        }
        vms.forEach(v -> add(VIRTUAL_MACHINES, v.namespace(), "get", "update"));
        return this;
    }

    /**
     * {@code sync}: besides the plans, the Lease when electing a leader, and Events (read, created, bumped) on the
     * VMs written and on the Lease when recording them.
     */
    public RequiredPermissions toRunController(
            String stateNamespace, boolean leaderElect, boolean events, List<VmPlan> plans) {
        if (leaderElect) {
            add(LEASES, stateNamespace, "get", "create", "patch"); // fabric8's elector renews and releases by patch
        }
        if (events) {
            add(EVENTS, stateNamespace, "get", "create", "update");
            plans.stream()
                    .filter(p -> p.target() != null && (p.action().writes() || p.action() == SyncAction.BLOCKED))
                    .forEach(p -> add(EVENTS, p.target().namespace(), "get", "create", "update"));
        }
        return this;
    }

    private void namespace(String ns) {
        add(new ApiResource("", "namespaces", true), ns, "get"); // the namespace object is in its own namespace
        if (!namespaceExists.test(ns)) {
            add(NAMESPACES, null, "create");
        }
    }

    private void object(ObjectNode doc, String... verbs) {
        ApiResource r = resolve.apply(doc);
        add(r, r.namespaced() ? doc.path("metadata").path("namespace").asText(null) : null, verbs);
    }

    public RequiredPermissions add(ApiResource r, String namespace, String... verbs) {
        for (String v : verbs) {
            needed.add(new Permission(v, r.group(), r.resource(), namespace));
        }
        return this;
    }
}
