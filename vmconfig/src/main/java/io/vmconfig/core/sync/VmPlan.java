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
 * a VM is blocked or skipped, every one of them.
 */
public record VmPlan(VmRef source, VmRef target, SyncAction action, List<String> reasons, List<JsonDiff.Change> diff,
        List<ObjectNode> documents, Optional<Entry> entry) {
    public VmPlan {
        reasons = List.copyOf(reasons);
        diff = List.copyOf(diff);
        documents = List.copyOf(documents);
    }

    public String name() {
        return (target != null ? target : source).toString();
    }
}
