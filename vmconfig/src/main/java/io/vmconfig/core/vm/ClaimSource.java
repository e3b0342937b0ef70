package io.vmconfig.core.vm;

/** How a VM volume refers to a claim (kubevirt-harvester.md §1.3). */
public enum ClaimSource {
    /** {@code persistentVolumeClaim.claimName}. */
    PERSISTENT_VOLUME_CLAIM,
    /** {@code dataVolume.name}: the DataVolume's PVC, normally of the same name. */
    DATA_VOLUME,
    /** {@code ephemeral.persistentVolumeClaim.claimName}. */
    EPHEMERAL,
    /** {@code memoryDump.claimName}. */
    MEMORY_DUMP,
    /** KubeVirt's per-VM backend-storage PVC for a persistent TPM or EFI; found by name/label, not in volumes. */
    BACKEND_STORAGE
}
