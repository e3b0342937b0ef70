package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.JsonDiff;
import io.vmconfig.core.vm.VmRef;
import java.util.List;
import java.util.Optional;

/**
 * The decision for one VM. {@code documents} are what to write, dependencies first and the VM last (empty unless the
 * action writes); {@code diff} is desired against current desired-state fields (for UPDATE); {@code reasons} say why
 * a VM is blocked or skipped, every one of them; {@code codes} the same as reason codes ({@link ReasonCodes}, or the
 * pre-flight's {@code Reason} names) for metrics, events and exit codes.
 */
public record VmPlan(
        VmRef source,
        VmRef target,
        SyncAction action,
        List<String> reasons,
        List<JsonDiff.Change> diff,
        List<ObjectNode> documents,
        Optional<Entry> entry,
        List<String> codes) {
    public VmPlan {
        reasons = List.copyOf(reasons);
        diff = List.copyOf(diff);
        documents = List.copyOf(documents);
        codes = List.copyOf(codes);
    }

    public VmPlan(
            VmRef source,
            VmRef target,
            SyncAction action,
            List<String> reasons,
            List<JsonDiff.Change> diff,
            List<ObjectNode> documents,
            Optional<Entry> entry) {
        this(source, target, action, reasons, diff, documents, entry, List.of());
    }

    public String name() {
        return (target != null ? target : source).toString();
    }
}
