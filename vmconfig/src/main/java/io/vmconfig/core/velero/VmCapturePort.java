package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * vm-backup's one pass over a VM: the config-only filter, the objects it depends on and its claim records, as the
 * snapshot the repository stores and whose VM is also the item Velero stores.
 */
@FunctionalInterface
public interface VmCapturePort {
    /** {@code vm} is not modified. */
    CapturedVm capture(ObjectNode vm, String origin);
}
