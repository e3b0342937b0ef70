package io.vmconfig.core.velero;

import java.util.List;
import java.util.Objects;

/** One plugin served by this executable: its registered name, its kind and the resources it applies to. */
public record PluginSpec(String name, ActionKind kind, List<String> resources) {
    public PluginSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        resources = List.copyOf(resources);
        String[] parts = name.split("/", -1);
        if (parts.length != 2
                || parts[0].isEmpty()
                || parts[1].isEmpty()
                || !parts[0].matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")
                || parts[0].length() > 253) {
            throw new IllegalArgumentException("plugin name " + name + " is not <dns-subdomain>/<name>");
        }
    }
}
