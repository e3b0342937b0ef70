package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Outcome of the DR transform: {@code vm} when it can be restored, otherwise the reasons (claims named). */
public record DrVerdict(ObjectNode vm, List<String> blockedReasons) {
    public DrVerdict {
        blockedReasons = List.copyOf(blockedReasons);
        if ((vm == null) == blockedReasons.isEmpty()) {
            throw new IllegalArgumentException("a verdict is either a VM or reasons");
        }
    }

    public static DrVerdict restored(ObjectNode vm) {
        return new DrVerdict(vm, List.of());
    }

    public static DrVerdict blocked(List<String> reasons) {
        return new DrVerdict(null, reasons);
    }

    public boolean isBlocked() {
        return vm == null;
    }
}
