package io.vmconfig.core.vm;

/** Annotation and label keys vmconfig writes or reads, all under {@code vmconfig.io/}. */
public final class Annotations {
    public static final String PREFIX = "vmconfig.io/";
    /** The run strategy the VM had at the source; {@code activate} sets it back. */
    public static final String ORIGINAL_RUN_STRATEGY = PREFIX + "original-run-strategy";
    public static final String SOURCE_NAMESPACE = PREFIX + "source-namespace";
    public static final String SOURCE_NAME = PREFIX + "source-name";
    public static final String SOURCE_UID = PREFIX + "source-uid";
    public static final String SOURCE_GENERATION = PREFIX + "source-generation";
    public static final String RESTORE_MODE = PREFIX + "restore-mode";
    public static final String RESTORED_AT = PREFIX + "restored-at";
    /** JSON map of source claim to DR claim, as the restore applied it. */
    public static final String CLAIM_MAP = PREFIX + "claim-map";
    /** JSON list of the source claim records, on exported VMs, so that a restore from files can check sizes. */
    public static final String CLAIMS = PREFIX + "claims";
    /** Label on every object vmconfig writes on DR; sync and prune only touch objects that carry it. */
    public static final String MANAGED_LABEL = PREFIX + "managed";

    public static final String HARVESTER_RUN_STRATEGY = "harvesterhci.io/vmRunStrategy";
    public static final String HARVESTER_MAC_ADDRESS = "harvesterhci.io/mac-address";
    public static final String HARVESTER_SSH_NAMES = "harvesterhci.io/sshNames";

    private Annotations() {}
}
