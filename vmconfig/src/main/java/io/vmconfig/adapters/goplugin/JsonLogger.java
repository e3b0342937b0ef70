package io.vmconfig.adapters.goplugin;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * JSON lines on stderr in the shape go-plugin's host parses: string {@code @level}, {@code @message} and
 * {@code @timestamp} (exactly six fractional digits), other keys as structured fields. Every value is a string, so
 * no line can crash Velero's log reader. Lines are kept well under the host's 64 KiB buffer.
 */
public final class JsonLogger implements io.vmconfig.core.StructuredLog {
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);
    private static final int MAX_VALUE = 8 * 1024;

    private final PrintStream err;
    private final LogLevel threshold;
    private final Clock clock;

    public JsonLogger(PrintStream err, LogLevel threshold, Clock clock) {
        this.err = err;
        this.threshold = threshold;
        this.clock = clock;
    }

    public boolean enabled(LogLevel level) {
        return level.compareTo(threshold) >= 0;
    }

    public void log(LogLevel level, String message, Map<String, String> fields) {
        if (!enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(128);
        line.append('{');
        field(line, "@level", level.wire());
        line.append(',');
        field(line, "@message", message);
        line.append(',');
        field(line, "@timestamp", TIMESTAMP.format(clock.instant()));
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().startsWith("@")) {
                continue;
            }
            line.append(',');
            field(line, e.getKey(), e.getValue());
        }
        line.append('}');
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    @Override
    public void info(String message, Map<String, String> fields) {
        log(LogLevel.INFO, message, fields);
    }

    @Override
    public void debug(String message, Map<String, String> fields) {
        log(LogLevel.DEBUG, message, fields);
    }

    public void warn(String message, Map<String, String> fields) {
        log(LogLevel.WARN, message, fields);
    }

    @Override
    public void error(String message, Map<String, String> fields) {
        log(LogLevel.ERROR, message, fields);
    }

    private static void field(StringBuilder out, String key, String value) {
        quote(out, key);
        out.append(':');
        quote(out, value == null ? "" : value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "…" : value);
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
