package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.repo.VmSnapshot;
import java.util.Map;

/** Where vm-backup writes a VM's bundle for its Backup's run (repository-format.md §11). */
public interface StagingPort {
    /**
     * Stores the captured VM's bundle for {@code backup}; throws a classified error naming the VM.
     * Returns the annotations that tie the stored item to what was staged (bundle id, capture time), which
     * vm-restore compares with the revision applied on DR.
     */
    Map<String, String> stage(JsonNode backup, VmSnapshot snapshot);

    /** Backups that only return items, as before the repository existed (and in tests of the item logic). */
    StagingPort NONE = (backup, snapshot) -> Map.of();
}
