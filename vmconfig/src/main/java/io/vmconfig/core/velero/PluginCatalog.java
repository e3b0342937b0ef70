package io.vmconfig.core.velero;

import io.vmconfig.core.VmConfigException;
import java.util.List;

/**
 * The plugins this executable registers with Velero. Only V2 kinds are listed: a name listed as both v1 and v2
 * makes Velero run the action twice.
 */
public final class PluginCatalog {
    public static final String VM_BACKUP = "vmconfig.io/vm-backup";
    public static final String VM_RESTORE = "vmconfig.io/vm-restore";
    public static final String VOLUME_RESTORE = "vmconfig.io/volume-restore";

    private static final List<PluginSpec> ALL = List.of(
            new PluginSpec(VM_BACKUP, ActionKind.BACKUP_ITEM_ACTION_V2, List.of("virtualmachines.kubevirt.io")),
            new PluginSpec(VM_RESTORE, ActionKind.RESTORE_ITEM_ACTION_V2, List.of("virtualmachines.kubevirt.io")),
            new PluginSpec(
                    VOLUME_RESTORE,
                    ActionKind.RESTORE_ITEM_ACTION_V2,
                    List.of("persistentvolumeclaims", "datavolumes.cdi.kubevirt.io")));

    private PluginCatalog() {}

    public static List<PluginSpec> all() {
        return ALL;
    }

    /**
     * The plugin of the given kind registered under {@code name}; an unknown name (or a name of another kind) is an
     * error, as Velero's Go framework answers it.
     */
    public static PluginSpec require(ActionKind kind, String name) {
        for (PluginSpec spec : ALL) {
            if (spec.kind() == kind && spec.name().equals(name)) {
                return spec;
            }
        }
        throw VmConfigException.invalid(kind.wireName() + " plugin: "
                + (name == null || name.isEmpty() ? "<empty>" : name) + " was not found or has an invalid name format");
    }
}
