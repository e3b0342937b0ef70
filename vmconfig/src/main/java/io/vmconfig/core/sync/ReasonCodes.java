package io.vmconfig.core.sync;

/**
 * The reason codes of sync decisions that are not pre-flight problems (those use the pre-flight {@code Reason}
 * names): what metrics, Kubernetes Events and exit codes read, so nothing decides by searching a message.
 */
public final class ReasonCodes {
    /** The whole DR site is activated ({@code activate --all}). */
    public static final String ACTIVATED = "ACTIVATED";
    /** This DR VM was activated on its own ({@code activate NS/NAME}). */
    public static final String VM_ACTIVATED = "VM_ACTIVATED";

    public static final String RUNNING = "RUNNING";
    public static final String OLDER_REVISION = "OLDER_REVISION";
    public static final String UNMANAGED_VM = "UNMANAGED_VM";
    public static final String NOT_IN_SET = "NOT_IN_SET";
    public static final String RESTORE_FAILED = "RESTORE_FAILED";
    public static final String SOURCE_DELETED = "SOURCE_DELETED";
    /** Safe to write: no VM of that name on DR yet. */
    public static final String ABSENT = "ABSENT";
    /** Safe to write: the DR VM differs from the desired one. */
    public static final String CHANGED = "CHANGED";
    /**
     * Safe to write: a VM vmconfig does not manage whose uid is the one the incoming VM was copied from
     * ({@code vmconfig.io/origin-uid}): failback adopts the original production VM, updated in place, halted.
     */
    public static final String ADOPTED = "ADOPTED";
    /** Nothing to write: the DR VM carries the desired hash already. */
    public static final String UNCHANGED = "UNCHANGED";

    private ReasonCodes() {}
}
