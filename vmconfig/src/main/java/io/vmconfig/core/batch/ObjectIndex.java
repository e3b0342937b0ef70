package io.vmconfig.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.BackupTransforms;
import io.vmconfig.core.vm.DependencyRef;
import io.vmconfig.core.vm.VirtualMachines;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.core.vm.VmTransform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The input of a batch split into VMs and the other objects, which are found by kind, namespace and name. */
final class ObjectIndex {
    /** Dependencies travel without the source cluster's runtime state, as VMs do. */
    static final VmTransform CLEAN_DEPENDENCY = VmTransform.chain(List.of(
            BackupTransforms.DROP_STATUS, BackupTransforms.DROP_RUNTIME_METADATA, BackupTransforms.DROP_BOOKKEEPING));

    final List<SourcedObject> vms = new ArrayList<>();
    /** VMIs: runtime state of a VM, never a definition; each is reported, naming it, not silently skipped. */
    private final List<SourcedObject> runtimeOnly = new ArrayList<>();

    private final Map<String, SourcedObject> others = new LinkedHashMap<>();

    /** Finds an object by kind, namespace and name; in a streamed input it may lie in another part. */
    @FunctionalInterface
    interface Lookup {
        Optional<JsonNode> find(String kind, String ns, String name);
    }

    /** Where {@link #find} looks: this index's own objects unless a streamed input says otherwise. */
    private final Lookup lookup;

    ObjectIndex(List<SourcedObject> objects) {
        this(objects, null);
    }

    /** The objects of one part of a streamed input; {@code lookup} finds dependencies wherever they lie. */
    ObjectIndex(List<SourcedObject> objects, Lookup lookup) {
        for (SourcedObject o : objects) {
            if (VirtualMachines.KIND.equals(o.kind())) {
                vms.add(o);
            } else if (RUNTIME_KIND.equals(o.kind())) {
                runtimeOnly.add(o);
            } else {
                others.putIfAbsent(key(o.kind(), o.namespace(), o.name()), o);
            }
        }
        this.lookup = lookup == null ? this::findHere : lookup;
    }

    static final String RUNTIME_KIND = "VirtualMachineInstance";

    static String key(String kind, String ns, String name) {
        return kind + "|" + (ns == null ? "" : ns) + "|" + name;
    }

    Optional<JsonNode> find(String kind, String ns, String name) {
        return lookup.find(kind, ns, name);
    }

    /** The first object of this index's own input with that kind, namespace and name. */
    Optional<JsonNode> findHere(String kind, String ns, String name) {
        return Optional.ofNullable(others.get(key(kind, ns, name))).map(SourcedObject::object);
    }

    /** The carried dependencies found, cleaned; the names of those missing go to {@code missing}. */
    List<ObjectNode> dependencies(List<DependencyRef> deps, List<String> missing) {
        List<ObjectNode> out = new ArrayList<>();
        for (DependencyRef d : deps) {
            if (!d.carried()) {
                continue;
            }
            Optional<JsonNode> found = find(d.kind(), d.namespace(), d.name());
            if (found.isPresent() && found.get().isObject()) {
                out.add(CLEAN_DEPENDENCY.apply((ObjectNode) found.get()));
            } else {
                missing.add(d.toString());
            }
        }
        return out;
    }

    /**
     * Runs {@code action} on every VM and collects the results. A VM that appears more than once fails (neither copy
     * silently wins) and a VM whose action throws fails alone; the others go on.
     */
    List<VmResult> eachVm(java.util.function.Function<SourcedObject, VmResult> action) {
        Map<String, List<String>> dups = duplicateVms();
        List<VmResult> out = new ArrayList<>();
        for (SourcedObject o : vms) {
            out.add(eachVm(o, dups, action));
        }
        for (SourcedObject o : runtimeOnly) {
            VmRef ref = refOf(o);
            boolean owned = ref != null
                    && vms.stream()
                            .anyMatch(v -> ref.namespace().equals(v.namespace())
                                    && ref.name().equals(v.name()));
            if (!owned) {
                out.add(notADefinition(o.origin(), ref));
            }
        }
        return out;
    }

    /** The VMIs of this index's input, which {@link #eachVm} reports unless their VM is in the input. */
    List<SourcedObject> runtimeOnly() {
        return runtimeOnly;
    }

    static VmRef refOf(SourcedObject o) {
        return o.namespace() != null && !o.name().isEmpty() ? new VmRef(o.namespace(), o.name()) : null;
    }

    /**
     * One VM: failed when it appears more than once ({@code dups}: "namespace/name" to every origin), else what
     * {@code action} gives; a VM whose action throws fails (or is blocked) alone.
     */
    static VmResult eachVm(
            SourcedObject o,
            Map<String, List<String>> dups,
            java.util.function.Function<SourcedObject, VmResult> action) {
        VmRef ref = refOf(o);
        if (ref != null && dups.containsKey(ref.toString())) {
            return VmResult.failed(
                    ref, o.origin(), "VirtualMachine " + ref + " appears more than once: " + dups.get(ref.toString()));
        }
        try {
            return action.apply(o);
        } catch (VmConfigException e) {
            // refused by a rule (KubeVirt admission): blocked, like a pre-flight; otherwise broken input
            return e.kind() == VmConfigException.Kind.BLOCKED
                    ? new VmResult(ref, null, VmResult.Status.BLOCKED, o.origin(), List.of(), List.of(e.getMessage()))
                    : VmResult.failed(ref, o.origin(), e.getMessage());
        }
    }

    static VmResult notADefinition(String origin, VmRef ref) {
        return VmResult.failed(
                ref,
                origin,
                origin + ": VirtualMachineInstance " + ref + " is the"
                        + " runtime state of a VM, not a definition; give its VirtualMachine (kubectl get vm -o yaml)");
    }

    private Map<String, List<String>> duplicateVms() {
        Map<String, List<String>> seen = new LinkedHashMap<>();
        for (SourcedObject vm : vms) {
            seen.computeIfAbsent(vm.namespace() + "/" + vm.name(), k -> new ArrayList<>())
                    .add(vm.origin());
        }
        seen.values().removeIf(l -> l.size() < 2);
        return seen;
    }
}
