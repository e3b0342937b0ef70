package io.vmconfig.core.preflight;

/** Why a VM is blocked from a DR restore. */
public enum Reason {
    UNMAPPED_CLAIM,
    INVALID_MAPPED_NAME,
    PVC_MISSING,
    PVC_NOT_BOUND,
    PVC_TOO_SMALL,
    /** A size on either side is not a quantity, so the DR disk cannot be shown to be big enough. */
    SIZE_UNKNOWN,
    VOLUME_MODE_MISMATCH,
    PVC_IN_USE,
    BACKEND_PVC_MISSING,
    NAD_MISSING,
    STORAGE_CLASS_MISSING,
    INSTANCETYPE_MISSING,
    PREFERENCE_MISSING,

    // KubeVirt admission (core.vm.Admission): what the validating webhook or the CRD schema would refuse or prune.
    /** {@code spec.running} and {@code spec.runStrategy} are both set. */
    RUNNING_AND_RUN_STRATEGY,
    /** {@code spec.runStrategy} is not one KubeVirt knows. */
    INVALID_RUN_STRATEGY,
    /** Two volumes, disks, filesystems, interfaces, networks or dataVolumeTemplates share a name. */
    DUPLICATE_NAME,
    /** A disk or filesystem names no volume; an interface names no network. */
    MISSING_VOLUME,
    /** A claim reference ({@code claimName}, {@code dataVolume.name}) is missing, empty or not a string. */
    INVALID_CLAIM_REFERENCE,
    /** More than 256 volumes, disks or interfaces. */
    TOO_MANY_ENTRIES,
    /** A volume has no source or more than one. */
    VOLUME_SOURCE_COUNT,
    /** A cloud-init volume has more than one user-data or network-data source, or none at all. */
    CLOUD_INIT_SOURCE_COUNT,
    /** A field declared as base64 does not decode. */
    INVALID_BASE64,
    /** An interface's {@code macAddress} is not a 6-byte MAC address. */
    INVALID_MAC,
    /** A dataVolumeTemplate no dataVolume volume references, or without a name. */
    UNUSED_DATA_VOLUME_TEMPLATE,
    /** A boot order below 1 or used twice. */
    INVALID_BOOT_ORDER,
    /** A field of the wrong type for the CRD's structural schema. */
    SCHEMA_WRONG_TYPE,
    /** A field the CRD's structural schema does not declare, which the API server would prune silently. */
    SCHEMA_UNKNOWN_FIELD,
    /** A value the CRD's structural schema does not allow: not in its enum, a required field missing, too many items. */
    SCHEMA_INVALID_VALUE,
    /** A copy would reference a PVC it did not create and the VolumeMap does not name. */
    FOREIGN_CLAIM
}
