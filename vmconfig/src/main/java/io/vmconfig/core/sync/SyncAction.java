package io.vmconfig.core.sync;

/** What a sync does with one VM. Only CREATE, UPDATE and DELETE write. */
public enum SyncAction {
    CREATE, UPDATE, UNCHANGED, BLOCKED, SKIPPED,
    /** Only with --prune-deleted: a halted, vmconfig-managed DR VM whose source is gone. */
    DELETE;

    public boolean writes() {
        return this == CREATE || this == UPDATE || this == DELETE;
    }
}
