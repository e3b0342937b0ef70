package io.vmconfig.adapters.goplugin;

import io.vmconfig.core.VmConfigException;
import java.util.Arrays;
import java.util.Map;

/**
 * The go-plugin launch contract read from the environment: magic cookie, the app protocol versions the host speaks
 * and the TCP port range. Velero sets {@code VELERO_PLUGIN=hello}, {@code PLUGIN_PROTOCOL_VERSIONS=2} and
 * {@code PLUGIN_MIN_PORT/MAX_PORT=10000/25000}.
 */
public record HandshakeEnv(int appProtocolVersion, int minPort, int maxPort) {
    public static final String COOKIE_KEY = "VELERO_PLUGIN";
    public static final String COOKIE_VALUE = "hello";
    public static final int CORE_PROTOCOL_VERSION = 1;
    public static final int APP_PROTOCOL_VERSION = 2;

    /** True when the process was started by a go-plugin host with Velero's magic cookie. */
    public static boolean launchedByHost(Map<String, String> env) {
        return COOKIE_VALUE.equals(env.get(COOKIE_KEY));
    }

    public static HandshakeEnv from(Map<String, String> env) {
        String versions = env.get("PLUGIN_PROTOCOL_VERSIONS");
        if (versions != null && !versions.isBlank()) {
            boolean ours = Arrays.stream(versions.split(","))
                    .map(String::trim)
                    .anyMatch(v -> v.equals(Integer.toString(APP_PROTOCOL_VERSION)));
            if (!ours) {
                throw VmConfigException.config("plugin protocol versions " + versions + " offered by the host do not"
                        + " include " + APP_PROTOCOL_VERSION + ", the only one this plugin speaks");
            }
        }
        int min = port(env, "PLUGIN_MIN_PORT", 10000);
        int max = port(env, "PLUGIN_MAX_PORT", 25000);
        if (min > max) {
            throw VmConfigException.config("PLUGIN_MIN_PORT " + min + " is above PLUGIN_MAX_PORT " + max);
        }
        return new HandshakeEnv(APP_PROTOCOL_VERSION, min, max);
    }

    /** The line go-plugin's host parses: no spaces, field 5 "grpc", field 6 (server cert) empty, no field 7. */
    public String line(int port) {
        return CORE_PROTOCOL_VERSION + "|" + appProtocolVersion + "|tcp|127.0.0.1:" + port + "|grpc|";
    }

    private static int port(Map<String, String> env, String key, int fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 1 || p > 65535) {
                throw VmConfigException.config(key + "=" + v + " is not a TCP port");
            }
            return p;
        } catch (NumberFormatException e) {
            throw VmConfigException.config(key + "=" + v + " is not a number");
        }
    }
}
