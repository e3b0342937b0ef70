package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether a Velero Backup (or a Restore) asks for config-only mode: vmconfig's own label, or the label with which
 * kubevirt-velero-plugin marks metadata-only backups. Schedules set labels through their template.
 */
public final class ConfigOnlyOption {
    public static final String LABEL = "vmconfig.io/config-only";
    public static final String KUBEVIRT_METADATA_LABEL = "velero.kubevirt.io/metadataBackup";
    /** Put on every VM that vm-backup stripped, so that vm-restore knows the item came from a config-only backup. */
    public static final String BACKUP_MODE_ANNOTATION = "vmconfig.io/backup-mode";

    public static final String CONFIG_ONLY = "config-only";

    private ConfigOnlyOption() {}

    public static boolean requested(JsonNode backupOrRestore) {
        return "true".equals(Items.label(backupOrRestore, LABEL))
                || "true".equals(Items.label(backupOrRestore, KUBEVIRT_METADATA_LABEL));
    }

    /** True when the item was written by vm-backup in config-only mode. */
    public static boolean markedConfigOnly(JsonNode item) {
        return CONFIG_ONLY.equals(Items.annotation(item, BACKUP_MODE_ANNOTATION));
    }
}
