package io.vmconfig.core.sync;

/**
 * The reason codes of sync decisions that are not pre-flight problems (those use the pre-flight {@code Reason}
 * names): what metrics, Kubernetes Events and exit codes read, so nothing decides by searching a message.
 */
public final class ReasonCodes {
    public static final String ACTIVATED = "ACTIVATED";
    public static final String RUNNING = "RUNNING";
    public static final String OLDER_REVISION = "OLDER_REVISION";
    public static final String UNMANAGED_VM = "UNMANAGED_VM";
    public static final String NOT_IN_SET = "NOT_IN_SET";
    public static final String RESTORE_FAILED = "RESTORE_FAILED";
    public static final String SOURCE_DELETED = "SOURCE_DELETED";

    private ReasonCodes() {}
}
