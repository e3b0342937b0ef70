package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A VM stripped to its configuration, with the objects it depends on (as Velero resource identifiers). */
public record FilteredVm(ObjectNode vm, List<ResourceRef> dependencies) {
    public FilteredVm {
        dependencies = List.copyOf(dependencies);
    }
}
