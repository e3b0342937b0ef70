package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Failover: records that the DR site is active (first, so that a sync running meanwhile applies nothing more), then
 * gives each vmconfig-managed VM its original run strategy back from {@code vmconfig.io/original-run-strategy}.
 */
public final class Activator {
    private final KubeCluster dr;
    private final ActivationState state;

    public Activator(KubeCluster dr, ActivationState state) {
        this.dr = dr;
        this.state = state;
    }

    /** One VM's outcome: the run strategy set, or why not. */
    public record Result(VmRef vm, String runStrategy, String problem) {}

    /** {@code vms} empty means every VM vmconfig manages. */
    public List<Result> activate(List<VmRef> vms) {
        state.set(true);
        List<ObjectNode> targets = new ArrayList<>();
        if (vms.isEmpty()) {
            targets.addAll(dr.list(KubeKind.VM, null, Annotations.MANAGED_LABEL + "=true"));
        } else {
            for (VmRef r : vms) {
                targets.add(dr.get(KubeKind.VM, r.namespace(), r.name()).orElseThrow(() -> new VmConfigException(
                        VmConfigException.Kind.IO, "VirtualMachine " + r + " is not on the DR cluster")));
            }
        }
        List<Result> out = new ArrayList<>();
        for (ObjectNode vm : targets) {
            out.add(start(vm));
        }
        return out;
    }

    public void deactivate() {
        state.set(false);
    }

    private Result start(ObjectNode vm) {
        VmRef ref = new VmRef(vm.path("metadata").path("namespace").asText(), vm.path("metadata").path("name").asText());
        Optional<String> original = Json.textAt(vm, "metadata", "annotations", Annotations.ORIGINAL_RUN_STRATEGY);
        if (original.isEmpty()) {
            return new Result(ref, null, "no " + Annotations.ORIGINAL_RUN_STRATEGY + " annotation: left as it is");
        }
        ObjectNode cur = vm;
        for (int attempt = 1; ; attempt++) {
            if (original.get().equals(cur.path("spec").path("runStrategy").asText())) {
                return new Result(ref, original.get(), null);
            }
            ObjectNode next = cur.deepCopy();
            ObjectNode spec = Json.ensureObject(next, "spec");
            spec.remove("running");
            spec.put("runStrategy", original.get());
            try {
                dr.update(KubeKind.VM, next);
                return new Result(ref, original.get(), null);
            } catch (VmConfigException e) {
                if (!KubeErrors.isConflict(e) || attempt >= KubeApplier.CONFLICT_RETRIES) {
                    return new Result(ref, null, e.getMessage());
                }
                cur = dr.get(KubeKind.VM, ref.namespace(), ref.name()).orElseThrow(() -> e);
            }
        }
    }
}
