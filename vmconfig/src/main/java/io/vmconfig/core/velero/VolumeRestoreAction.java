package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * volume-restore: PVCs and DataVolumes of a config-only backup are skipped, because the replicated volume is already
 * on the DR side; all others pass through untouched. The backup's mode is read from the Restore's own label or from
 * the labels of the Backup it restores (looked up once per process).
 */
public final class VolumeRestoreAction {
    private final PluginConfigPort config;
    private final Map<String, Boolean> configOnlyByBackup = new ConcurrentHashMap<>();

    public VolumeRestoreAction(PluginConfigPort config) {
        this.config = config;
    }

    public RestoreResult execute(JsonNode item, JsonNode restore) {
        ObjectNode volume = Items.requireObject(item, "item");
        return fromConfigOnlyBackup(restore) ? RestoreResult.skip(volume) : RestoreResult.unchanged(volume);
    }

    private boolean fromConfigOnlyBackup(JsonNode restore) {
        if (ConfigOnlyOption.requested(restore)) {
            return true;
        }
        String namespace = Items.metadata(restore, "namespace");
        JsonNode backupName = restore == null ? null : restore.path("spec").get("backupName");
        if (backupName == null || !backupName.isTextual() || backupName.asText().isEmpty()) {
            return false;
        }
        String key = namespace + "/" + backupName.asText();
        return configOnlyByBackup.computeIfAbsent(key, k -> {
            Optional<JsonNode> backup = config.backup(namespace, backupName.asText());
            return backup.map(ConfigOnlyOption::requested).orElse(false);
        });
    }
}
