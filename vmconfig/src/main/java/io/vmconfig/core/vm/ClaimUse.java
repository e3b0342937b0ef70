package io.vmconfig.core.vm;

/** One volume of a VM that refers to a claim. {@code volumeName} is null for backend storage. */
public record ClaimUse(String volumeName, ClaimSource source, String claimName) {}
