package io.vmconfig.core.velero;

/** The Velero plugin kinds this executable serves, with the exact kind string Velero's registry accepts. */
public enum ActionKind {
    BACKUP_ITEM_ACTION_V2("BackupItemActionV2"),
    RESTORE_ITEM_ACTION_V2("RestoreItemActionV2");

    private final String wireName;

    ActionKind(String wireName) {
        this.wireName = wireName;
    }

    /** The case-sensitive kind string sent in ListPlugins. */
    public String wireName() {
        return wireName;
    }
}
