package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a restore action answers: the item to create (always a full object with kind), or skip it. */
public record RestoreResult(ObjectNode item, boolean skipRestore) {
    public static RestoreResult unchanged(ObjectNode item) {
        return new RestoreResult(item, false);
    }

    public static RestoreResult skip(ObjectNode item) {
        return new RestoreResult(item, true);
    }
}
