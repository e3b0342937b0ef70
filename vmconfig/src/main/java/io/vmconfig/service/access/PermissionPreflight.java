package io.vmconfig.service.access;

import io.vmconfig.core.access.AccessCheck;
import io.vmconfig.core.access.Permission;
import io.vmconfig.core.access.PermissionDenied;
import java.util.Collection;
import java.util.List;

/**
 * The rule that a command writing to a cluster first asks for every permission it is about to use and, lacking any,
 * writes nothing and names them all: one home for the decision, whatever command computed the list.
 */
public final class PermissionPreflight {
    private PermissionPreflight() {}

    /** Returns the caller's user name when it may do all of {@code needed}; else throws {@link PermissionDenied}. */
    public static String require(AccessCheck access, String action, String cluster, Collection<Permission> needed) {
        String user = access.user();
        List<Permission> missing = access.denied(needed);
        if (!missing.isEmpty()) {
            throw new PermissionDenied(action, user, cluster, missing);
        }
        return user;
    }
}
