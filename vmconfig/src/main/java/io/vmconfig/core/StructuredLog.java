package io.vmconfig.core;

import java.util.Map;

/**
 * A log of messages with structured fields (backup, restore, namespace, name, error), as Velero shows a plugin's
 * lines: the port the plugin's gRPC services report through, which the go-plugin host's JSON logger implements.
 */
public interface StructuredLog {
    void debug(String message, Map<String, String> fields);

    void info(String message, Map<String, String> fields);

    void error(String message, Map<String, String> fields);
}
