package io.vmconfig.core.sync;

/** What a sync does with one VM. Only CREATE, UPDATE and DELETE write. */
public enum SyncAction {
    CREATE,
    UPDATE,
    UNCHANGED,
    BLOCKED,
    SKIPPED,
    /** Only with --prune-deleted: a halted, vmconfig-managed DR VM whose source is gone. */
    DELETE;

    /** The VM state a count is kept under: vmconfig_sync_vms{state} and a ConfigSync's status.counts. */
    public String state() {
        return switch (this) {
            case CREATE -> "created";
            case UPDATE -> "updated";
            case UNCHANGED -> "unchanged";
            case BLOCKED -> "blocked";
            case SKIPPED -> "skipped";
            case DELETE -> "deleted";
        };
    }

    public boolean writes() {
        return this == CREATE || this == UPDATE || this == DELETE;
    }
}
