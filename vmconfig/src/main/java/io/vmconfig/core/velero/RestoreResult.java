package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a restore action answers: the item to create (always a full object with kind), or skip it, with the reason
 * code ({@code code}: for a VM the DR-safety decision's, {@link io.vmconfig.core.sync.ReasonCodes}, the same code
 * sync reports; empty when not skipped) and a sentence for people ({@code why}).
 */
public record RestoreResult(ObjectNode item, boolean skipRestore, String code, String why) {
    /** The code of a volume skipped because its replicated copy is already on the DR cluster. */
    public static final String REPLICATED_VOLUME = "REPLICATED_VOLUME";

    public static RestoreResult unchanged(ObjectNode item) {
        return new RestoreResult(item, false, "", "");
    }

    /** Skipped because the replicated volume is already on this cluster. */
    public static RestoreResult skip(ObjectNode item) {
        return skip(item, REPLICATED_VOLUME, "the replicated volume is already on this cluster");
    }

    /** Skipped with reason code {@code code} for {@code why}, which the plugin logs with the item. */
    public static RestoreResult skip(ObjectNode item, String code, String why) {
        return new RestoreResult(item, true, code, why);
    }
}
