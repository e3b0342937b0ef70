package io.vmconfig.core.preflight;

import java.util.Map;

/** What the DR side knows of one PVC. {@code size} is the capacity when bound, else the request. */
public record PvcInfo(
        String namespace,
        String name,
        String phase,
        String size,
        String volumeMode,
        String storageClass,
        Map<String, String> labels) {
    public PvcInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** Kubernetes treats a PVC without volumeMode as Filesystem. */
    public String effectiveVolumeMode() {
        return volumeMode == null ? "Filesystem" : volumeMode;
    }
}
