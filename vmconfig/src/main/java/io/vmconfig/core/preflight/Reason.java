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
    PREFERENCE_MISSING
}
