package io.vmconfig.cli;

/** {@code -o table|json|yaml}, as kubectl. */
public enum OutputFormat {
    table,
    json,
    yaml
}
