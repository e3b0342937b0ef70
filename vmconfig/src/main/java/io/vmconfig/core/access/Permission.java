package io.vmconfig.core.access;

import java.util.Comparator;

/**
 * One thing a command must be allowed to do on a cluster, as RBAC names it: a verb on a resource of an API group
 * ({@code group} empty for the core group), in a namespace ({@code null} for a cluster-scoped resource or every
 * namespace). What a SelfSubjectAccessReview asks and {@code kubectl auth can-i} prints.
 */
public record Permission(String verb, String group, String resource, String namespace)
        implements Comparable<Permission> {
    private static final Comparator<Permission> ORDER = Comparator.comparing(
                    (Permission p) -> p.namespace == null ? "" : p.namespace)
            .thenComparing(Permission::qualifiedResource)
            .thenComparing(Permission::verb);

    /** {@code virtualmachines.kubevirt.io}, {@code secrets}: how kubectl names a resource. */
    public String qualifiedResource() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    /** The kubectl command that asks the same question. */
    public String canI() {
        return "kubectl auth can-i " + verb + " " + qualifiedResource() + (namespace == null ? "" : " -n " + namespace);
    }

    @Override
    public int compareTo(Permission o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return verb + " " + qualifiedResource() + (namespace == null ? " (cluster-wide)" : " in " + namespace);
    }
}
