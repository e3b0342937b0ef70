package io.vmconfig.core.velero;

import java.util.Map;

/**
 * Where the plugin's services report, as Velero shows a plugin's lines: a message and structured fields (backup,
 * restore, namespace, name, error). The go-plugin host's JSON logger implements it.
 */
public interface PluginLog {
    void debug(String message, Map<String, String> fields);

    void info(String message, Map<String, String> fields);

    void error(String message, Map<String, String> fields);
}
