package io.vmconfig.core.access;

/** A resource as RBAC names it: API group, plural, and whether it lives in a namespace. */
public record ApiResource(String group, String resource, boolean namespaced) {}
