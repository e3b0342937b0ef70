package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A named, copy-on-write change of a VM tree: it never mutates its argument and returns either the argument itself
 * (nothing to change) or a changed copy. Fields it does not know stay as they were, in their order.
 */
@FunctionalInterface
public interface VmTransform {
    ObjectNode apply(ObjectNode vm);

    /** Applies {@code steps} in order. */
    static VmTransform chain(List<VmTransform> steps) {
        List<VmTransform> copy = List.copyOf(steps);
        return vm -> {
            ObjectNode out = vm;
            for (VmTransform t : copy) {
                out = t.apply(out);
            }
            return out;
        };
    }
}
