package io.vmconfig.core.vm;

/** Annotation and label keys vmconfig writes or reads, all under {@code vmconfig.io/}. */
public final class Annotations {
    public static final String PREFIX = "vmconfig.io/";

    /**
     * kubectl's copy of the last applied object: dropped from every backup (BackupTransforms), so a desired VM never
     * carries it and what a DR VM has there is never a difference.
     */
    public static final String KUBECTL_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** The run strategy the VM had at the source; {@code activate} sets it back. */
    public static final String ORIGINAL_RUN_STRATEGY = PREFIX + "original-run-strategy";
    /**
     * On a DR VM that {@code activate} failed over (the time it did): sync, restore and vm-restore leave that VM
     * alone until {@code deactivate} removes it. Kept on the VM itself so that the applier's last-moment guard sees
     * it in the same read as the resourceVersion it writes against.
     */
    public static final String ACTIVATED_AT = PREFIX + "activated-at";

    public static final String SOURCE_NAMESPACE = PREFIX + "source-namespace";
    public static final String SOURCE_NAME = PREFIX + "source-name";
    public static final String SOURCE_UID = PREFIX + "source-uid";
    public static final String SOURCE_GENERATION = PREFIX + "source-generation";
    /**
     * On a backed-up VM that is itself a vmconfig copy (it carried a {@code source-uid} other than its own uid): the
     * uid of the VM it was copied from. Failback restores a DR VM onto production, where that original VM still
     * exists, unmanaged; the DR-safety decision adopts it by this uid instead of refusing it.
     */
    public static final String ORIGIN_UID = PREFIX + "origin-uid";

    public static final String RESTORE_MODE = PREFIX + "restore-mode";
    /** JSON map of source claim to DR claim, as the restore applied it. */
    public static final String CLAIM_MAP = PREFIX + "claim-map";
    /** JSON list of the source claim records, on exported VMs, so that a restore from files can check sizes. */
    public static final String CLAIMS = PREFIX + "claims";
    /** Traceability of a sync-written object: the source cluster, set, VM revision and bundle it came from. */
    public static final String SOURCE_CLUSTER = PREFIX + "source-cluster";

    public static final String SET_ID = PREFIX + "set";
    public static final String REVISION = PREFIX + "revision";
    public static final String BUNDLE = PREFIX + "bundle";
    /** When the applied revision was captured at the source: with uid and generation it orders revisions. */
    public static final String CAPTURED_AT = PREFIX + "captured-at";
    /** SHA-256 of what sync wrote (without the set id): equal means a new set changes nothing on this object. */
    public static final String DESIRED_HASH = PREFIX + "desired-hash";
    /** Label on every object vmconfig writes on DR; sync and prune only touch objects that carry it. */
    public static final String MANAGED_LABEL = PREFIX + "managed";
    /** Label on a disk vmconfig created for a copy: which VM it was created for (a label-safe form of its name). */
    public static final String CREATED_FOR_LABEL = PREFIX + "created-for";
    /** Annotation on a disk vmconfig created: the VM ({@code namespace/name}) it was created for. */
    public static final String CREATED_FOR = PREFIX + "created-for";
    /** Label on a disk vmconfig created, so that it can be told from disks it must never touch. */
    public static final String CREATED_BY_LABEL = PREFIX + "created-by";

    public static final String HARVESTER_RUN_STRATEGY = "harvesterhci.io/vmRunStrategy";
    public static final String HARVESTER_MAC_ADDRESS = "harvesterhci.io/mac-address";
    public static final String HARVESTER_SSH_NAMES = "harvesterhci.io/sshNames";

    private Annotations() {}
}
