package io.vmconfig.adapters.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log of a long-running command: every java.util.logging record (vmconfig's own and the libraries', fabric8 via
 * SLF4J) becomes one line on the command's stderr, a JSON object ({@code time}, {@code level}, {@code logger},
 * {@code message}, the record's fields such as {@code vm}, {@code set}, {@code pass}, and {@code error}) or a line of
 * text. No stack traces: an error is its class and message chain, cut to {@link #MAX_ERROR} characters. Library
 * records are rate-limited per logger and level ({@link #BURST} per {@link #WINDOW}, then one "suppressed" line),
 * so an unreachable API server does not flood the log. Installing replaces the root logger's handlers; closing puts
 * them back.
 */
public final class LogOutput implements AutoCloseable {
    public static final int BURST = 5;
    public static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ERROR = 400;
    private static final String OWN = "io.vmconfig";

    /** {@code json} in a container (no terminal), {@code text} on a terminal; {@code auto} picks. */
    public enum Format {
        json,
        text,
        auto;

        public Format resolve(boolean terminal) {
            return this != auto ? this : terminal ? text : json;
        }
    }

    private final Logger root = Logger.getLogger("");
    private final List<Handler> previous;
    private final Level previousLevel;
    private final LineHandler handler;

    private LogOutput(PrintWriter err, Format format, Clock clock) {
        previous = List.of(root.getHandlers());
        previousLevel = root.getLevel();
        handler = new LineHandler(err, format, clock);
        for (Handler h : previous) {
            root.removeHandler(h);
        }
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }

    public static LogOutput install(PrintWriter err, Format format, Clock clock) {
        // the jlink'ed runtime is JDK 17, where System.console() is null when stdout is not a terminal
        @SuppressWarnings("SystemConsoleNull")
        boolean terminal = System.console() != null;
        return new LogOutput(err, format.resolve(terminal), clock);
    }

    /** Logs {@code message} with structured {@code fields} (and an optional error) through java.util.logging. */
    public static void log(Logger logger, Level level, String message, Map<String, ?> fields, Throwable error) {
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName(logger.getName());
        r.setParameters(new Object[] {new LinkedHashMap<>(fields)});
        r.setThrown(error);
        logger.log(r);
    }

    @Override
    public void close() {
        handler.flushSuppressed();
        root.removeHandler(handler);
        previous.forEach(root::addHandler);
        root.setLevel(previousLevel);
    }

    /** The line of one record, in the given format (package-private for the tests). */
    static String format(
            Format format,
            Instant time,
            String level,
            String logger,
            String message,
            Map<String, ?> fields,
            Throwable error) {
        if (format == Format.text) {
            StringBuilder b = new StringBuilder()
                    .append(time.truncatedTo(ChronoUnit.MILLIS))
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%-5s", level))
                    .append(' ')
                    .append(message);
            fields.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            if (error != null) {
                b.append(" error=\"").append(describe(error)).append('"');
            }
            return b.toString();
        }
        ObjectNode o = Json.object();
        o.put("time", time.truncatedTo(ChronoUnit.MILLIS).toString())
                .put("level", level)
                .put("logger", logger)
                .put("message", message);
        fields.forEach((k, v) -> {
            if (!o.has(k)) {
                if (v instanceof Integer || v instanceof Long) {
                    o.put(k, ((Number) v).longValue());
                } else if (v instanceof Number n) {
                    o.put(k, n.doubleValue());
                } else {
                    o.put(k, String.valueOf(v));
                }
            }
        });
        if (error != null) {
            o.put("error", describe(error));
            if (error instanceof VmConfigException v) {
                o.put("errorKind", v.kind().name());
            }
        }
        return Json.compact(o);
    }

    /** Class and message of the error and its causes, one line, bounded. */
    static String describe(Throwable error) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = error; t != null && b.length() < MAX_ERROR; t = t.getCause() == t ? null : t.getCause()) {
            if (!b.isEmpty()) {
                b.append("; caused by ");
            }
            b.append(t instanceof VmConfigException ? "" : t.getClass().getSimpleName() + ": ")
                    .append(String.valueOf(t.getMessage()).replace('\n', ' ').replace('\r', ' '));
        }
        return b.length() > MAX_ERROR ? b.substring(0, MAX_ERROR - 3) + "..." : b.toString();
    }

    static String level(Level l) {
        int v = l.intValue();
        return v >= Level.SEVERE.intValue()
                ? "error"
                : v >= Level.WARNING.intValue() ? "warn" : v >= Level.INFO.intValue() ? "info" : "debug";
    }

    private static final class LineHandler extends Handler {
        private final PrintWriter out;
        private final Format format;
        private final Clock clock;
        private final Map<String, long[]> windows = new HashMap<>(); // key -> {windowStartMillis, count}

        LineHandler(PrintWriter out, Format format, Clock clock) {
            this.out = out;
            this.format = format;
            this.clock = clock;
        }

        @Override
        public synchronized void publish(LogRecord r) {
            if (r == null || !isLoggable(r)) {
                return;
            }
            String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
            Instant now = clock.instant();
            if (!logger.startsWith(OWN) && !admit(logger + " " + r.getLevel(), logger, now)) {
                return;
            }
            Map<String, ?> fields = Map.of();
            String message = r.getMessage() == null ? "" : r.getMessage();
            Object[] params = r.getParameters();
            if (params != null && params.length == 1 && params[0] instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> f = (Map<String, ?>) m;
                fields = f;
            } else if (params != null && params.length > 0) {
                message = java.text.MessageFormat.format(message, params);
            }
            write(format(format, now, level(r.getLevel()), logger, message, fields, r.getThrown()));
        }

        /** At most BURST lines per key and window; the first line of the next window says how many were dropped. */
        private boolean admit(String key, String logger, Instant now) {
            long[] w = windows.computeIfAbsent(key, k -> new long[] {now.toEpochMilli(), 0, 0});
            if (now.toEpochMilli() - w[0] >= WINDOW.toMillis()) {
                if (w[2] > 0) {
                    write(format(
                            format,
                            now,
                            "warn",
                            logger,
                            "suppressed " + w[2] + " similar log lines",
                            Map.of("suppressed", w[2]),
                            null));
                }
                w[0] = now.toEpochMilli();
                w[1] = 0;
                w[2] = 0;
            }
            if (w[1] < BURST) {
                w[1]++;
                return true;
            }
            w[2]++;
            return false;
        }

        synchronized void flushSuppressed() {
            Instant now = clock.instant();
            windows.forEach((k, w) -> {
                if (w[2] > 0) {
                    write(format(
                            format,
                            now,
                            "warn",
                            k.substring(0, k.lastIndexOf(' ')),
                            "suppressed " + w[2] + " similar log lines",
                            Map.of("suppressed", w[2]),
                            null));
                    w[2] = 0;
                }
            });
        }

        private void write(String line) {
            out.println(line);
            out.flush();
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
