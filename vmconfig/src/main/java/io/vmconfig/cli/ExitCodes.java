package io.vmconfig.cli;

import io.vmconfig.core.VmConfigException;

/** Exit codes that mean something to scripts. */
public final class ExitCodes {
    /** Everything asked for was done. */
    public static final int OK = 0;
    /** Some VMs were blocked or failed; the others were done. */
    public static final int PARTIAL = 1;
    /** Usage or configuration error: nothing was done. */
    public static final int USAGE = 2;
    /** Stored data failed an integrity check (hash, signature, format). */
    public static final int INTEGRITY = 3;
    /** A store or cluster could not be reached or refused the request. */
    public static final int UNAVAILABLE = 4;
    /** A safety rule refused the action. */
    public static final int REFUSED = 5;
    /**
     * The caller lacks permissions the command needs on the cluster: refused before the first write, every missing
     * permission listed (the pre-flight, docs/permissions.md).
     */
    public static final int FORBIDDEN = 6;
    /** Internal error (a bug). */
    public static final int INTERNAL = 70;

    private ExitCodes() {}

    public static int of(VmConfigException e) {
        if (e instanceof io.vmconfig.core.access.PermissionDenied) {
            return FORBIDDEN;
        }
        return switch (e.kind()) {
            case INVALID_INPUT, CONFIG -> USAGE;
            case BLOCKED -> PARTIAL;
            case INTEGRITY -> INTEGRITY;
            case TRANSIENT, IO -> UNAVAILABLE;
            case REFUSED -> REFUSED;
            case INTERNAL -> INTERNAL;
        };
    }
}
