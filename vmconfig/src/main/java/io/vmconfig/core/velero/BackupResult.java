package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What vm-backup answers: the item to store (always a full object with kind) and the items to back up with it. */
public record BackupResult(ObjectNode item, List<ResourceRef> additionalItems) {
    public BackupResult {
        additionalItems = List.copyOf(additionalItems);
    }
}
