package io.vmconfig.app;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.velero.ConfigOnlyFilterPort;
import io.vmconfig.core.velero.DrRestorePort;

/** Binds the plugin's ports to the pure core (io.vmconfig.core.vm / io.vmconfig.core.restore). */
final class CoreBindings {
    private CoreBindings() {}

    // TODO(merge main): replace with io.vmconfig.core.vm.ConfigOnlyFilter once "Core:" lands on main.
    static ConfigOnlyFilterPort configOnlyFilter() {
        return (vm, origin) -> {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL,
                    "config-only filter is not part of this build yet (" + origin + ")");
        };
    }

    // TODO(merge main): replace with io.vmconfig.core.restore.DrRestore once "Core:" lands on main.
    static DrRestorePort drRestore() {
        return (vm, yaml, origin) -> {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL,
                    "DR restore transform is not part of this build yet (" + origin + ")");
        };
    }
}
