package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where vm-backup writes a VM's bundle for its Backup's run (repository-format.md §11). */
public interface StagingPort {
    /** Stores {@code vm} (as the cluster holds it) for {@code backup}; throws a classified error naming the VM. */
    void stage(JsonNode backup, ObjectNode vm);

    /** Backups that only return items, as before the repository existed (and in tests of the item logic). */
    StagingPort NONE = (backup, vm) -> { };
}
