package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** What the restore actions read from the cluster: the VolumeMap of the plugin ConfigMap, and a Velero Backup. */
public interface PluginConfigPort {
    /** The {@code volume-map.yaml} text of the vm-restore plugin ConfigMap, or empty when there is none. */
    Optional<String> volumeMapYaml();

    /** The Velero Backup {@code namespace/name}, or empty when it does not exist. */
    Optional<JsonNode> backup(String namespace, String name);
}
