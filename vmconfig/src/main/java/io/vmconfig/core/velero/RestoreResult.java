package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a restore action answers: the item to create (always a full object with kind), or skip it and why. */
public record RestoreResult(ObjectNode item, boolean skipRestore, String why) {
    public static RestoreResult unchanged(ObjectNode item) {
        return new RestoreResult(item, false, "");
    }

    /** Skipped because the replicated volume is already on this cluster. */
    public static RestoreResult skip(ObjectNode item) {
        return skip(item, "the replicated volume is already on this cluster");
    }

    /** Skipped for {@code why}, which the plugin logs with the item. */
    public static RestoreResult skip(ObjectNode item, String why) {
        return new RestoreResult(item, true, why);
    }
}
