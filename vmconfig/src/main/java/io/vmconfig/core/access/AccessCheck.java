package io.vmconfig.core.access;

import java.util.Collection;
import java.util.List;

/**
 * The port to a cluster's authorizer: who the caller is and which of some permissions it lacks. The Kubernetes
 * adapter asks SelfSubjectReview and SelfSubjectAccessReview; nothing here decides what to do with the answer.
 */
public interface AccessCheck {
    /** The authenticated user name, as the API server sees the caller. */
    String user();

    /** The permissions of {@code wanted} the caller does not have, in the order given. */
    List<Permission> denied(Collection<Permission> wanted);
}
