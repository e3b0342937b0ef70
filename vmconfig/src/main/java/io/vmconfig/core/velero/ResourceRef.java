package io.vmconfig.core.velero;

import java.util.Objects;

/** A Kubernetes object as Velero names it in additionalItems: API group, lower-case plural resource, namespace, name. */
public record ResourceRef(String group, String resource, String namespace, String name) {
    public ResourceRef {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }
}
