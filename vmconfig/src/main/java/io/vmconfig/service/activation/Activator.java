package io.vmconfig.service.activation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.KubeApplier;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeErrors;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Failover, per VM or for the whole site. {@code activate NS/NAME} marks that one DR VM activated
 * ({@code vmconfig.io/activated-at}) and gives it its original run strategy back from
 * {@code vmconfig.io/original-run-strategy}, in one update, so that sync, which skips exactly the activated VMs
 * (the DR-safety decision), can never write it in between; the other VMs stay in step. {@code --all} first records
 * the whole DR site as active (so that a sync running meanwhile applies nothing more), then does the same to every
 * VM vmconfig manages. {@code deactivate} removes the marks (and, with {@code --all}, the site flag); a VM that is
 * still running stays untouched by sync through the running rule until someone stops it.
 */
public final class Activator {
    private final KubeCluster dr;
    private final ActivationState state;
    private final Clock clock;

    public Activator(KubeCluster dr, ActivationState state, Clock clock) {
        this.dr = dr;
        this.state = state;
        this.clock = clock;
    }

    /** The DR site's activation state in the ConfigMap of {@code stateNamespace} (commands' --state-namespace). */
    public Activator(KubeCluster dr, String stateNamespace, Clock clock) {
        this(dr, new ActivationState(dr, stateNamespace, clock), clock);
    }

    /** One VM's outcome: its run strategy now, or why it was not set ({@code problem}). */
    public record Result(VmRef vm, String runStrategy, String problem) {}

    /** {@code vms} empty means the whole site: the site flag first, then every VM vmconfig manages. */
    public List<Result> activate(List<VmRef> vms) {
        if (vms.isEmpty()) {
            state.set(true);
        }
        String now = clock.instant().toString();
        List<Result> out = new ArrayList<>();
        for (ObjectNode vm : targets(vms)) {
            Optional<String> original = Json.textAt(vm, "metadata", "annotations", Annotations.ORIGINAL_RUN_STRATEGY);
            out.add(update(
                    vm,
                    next -> {
                        Json.ensureObject(next, "metadata", "annotations").put(Annotations.ACTIVATED_AT, now);
                        original.ifPresent(rs -> {
                            ObjectNode spec = Json.ensureObject(next, "spec");
                            spec.remove("running");
                            spec.put("runStrategy", rs);
                        });
                        return next;
                    },
                    original.isEmpty()
                            ? "no " + Annotations.ORIGINAL_RUN_STRATEGY
                                    + " annotation: marked activated, run strategy left as it is"
                            : null));
        }
        return out;
    }

    /**
     * {@code vms} empty means the whole site: the site flag cleared, then every VM's mark removed. Run strategies
     * are not changed: a VM still running stays out of sync's reach until it is stopped.
     */
    public List<Result> deactivate(List<VmRef> vms) {
        if (vms.isEmpty()) {
            state.set(false);
        }
        List<Result> out = new ArrayList<>();
        for (ObjectNode vm : targets(vms)) {
            if (vms.isEmpty() && !vm.path("metadata").path("annotations").has(Annotations.ACTIVATED_AT)) {
                continue;
            }
            out.add(update(
                    vm,
                    next -> {
                        Json.ensureObject(next, "metadata", "annotations").remove(Annotations.ACTIVATED_AT);
                        return next;
                    },
                    null));
        }
        return out;
    }

    private List<ObjectNode> targets(List<VmRef> vms) {
        if (vms.isEmpty()) {
            return dr.list(KubeKind.VM, null, Annotations.MANAGED_LABEL + "=true");
        }
        List<ObjectNode> targets = new ArrayList<>();
        for (VmRef r : vms) {
            targets.add(dr.get(KubeKind.VM, r.namespace(), r.name())
                    .orElseThrow(() -> new VmConfigException(
                            VmConfigException.Kind.IO, "VirtualMachine " + r + " is not on the DR cluster")));
        }
        return targets;
    }

    /** Applies {@code change} to the VM (a copy), writing only when it changes something; 409s are read again. */
    private Result update(ObjectNode vm, UnaryOperator<ObjectNode> change, String problem) {
        VmRef ref = new VmRef(
                vm.path("metadata").path("namespace").asText(),
                vm.path("metadata").path("name").asText());
        ObjectNode cur = vm;
        for (int attempt = 1; ; attempt++) {
            ObjectNode next = change.apply(cur.deepCopy());
            try {
                if (!next.equals(cur)) {
                    dr.update(KubeKind.VM, next);
                }
                return new Result(
                        ref,
                        problem == null ? next.path("spec").path("runStrategy").asText("-") : null,
                        problem);
            } catch (VmConfigException e) {
                if (!KubeErrors.isConflict(e) || attempt >= KubeApplier.CONFLICT_RETRIES) {
                    return new Result(ref, null, e.getMessage());
                }
                cur = dr.get(KubeKind.VM, ref.namespace(), ref.name()).orElseThrow(() -> e);
            }
        }
    }
}
