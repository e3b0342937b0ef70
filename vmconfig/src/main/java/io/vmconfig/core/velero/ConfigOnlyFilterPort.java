package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The core's config-only filter, as vm-backup needs it: strip runtime state, name the config dependencies. */
@FunctionalInterface
public interface ConfigOnlyFilterPort {
    FilteredVm filter(ObjectNode vm, String origin);
}
