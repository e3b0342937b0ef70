package io.vmconfig.adapters.goplugin;

import java.util.Locale;

/** The levels hclog accepts, in the exact lower-case spelling Velero parses ("warn", never "warning"). */
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses Velero's --log-level values (logrus names: panic/fatal map to error, warning to warn). */
    public static LogLevel parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "trace" -> TRACE;
            case "debug" -> DEBUG;
            case "warn", "warning" -> WARN;
            case "error", "fatal", "panic" -> ERROR;
            default -> INFO;
        };
    }
}
