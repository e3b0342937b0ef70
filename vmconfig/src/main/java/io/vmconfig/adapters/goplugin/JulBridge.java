package io.vmconfig.adapters.goplugin;

import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Sends java.util.logging (used by grpc-java and its OkHttp transport) to the JSON logger instead of plain stderr. */
public final class JulBridge extends Handler {
    /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final Logger TRANSPORT = Logger.getLogger("io.grpc.okhttp");

    private final JsonLogger logger;

    private JulBridge(JsonLogger logger) {
        this.logger = logger;
    }

    public static void install(JsonLogger logger, LogLevel threshold) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        JulBridge bridge = new JulBridge(logger);
        Level level = switch (threshold) {
            case TRACE -> Level.FINEST;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR -> Level.SEVERE;
        };
        bridge.setLevel(level);
        root.setLevel(level);
        root.addHandler(bridge);
        // the transport's frame-by-frame logging is only wanted when tracing
        TRANSPORT.setLevel(threshold == LogLevel.TRACE ? Level.FINEST : Level.INFO);
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        int v = record.getLevel().intValue();
        LogLevel level = v >= Level.SEVERE.intValue()
                ? LogLevel.ERROR
                : v >= Level.WARNING.intValue()
                        ? LogLevel.WARN
                        : v >= Level.INFO.intValue()
                                ? LogLevel.INFO
                                : v >= Level.FINE.intValue() ? LogLevel.DEBUG : LogLevel.TRACE;
        String message = record.getMessage() == null ? "" : record.getMessage();
        if (record.getParameters() != null && record.getParameters().length > 0) {
            try {
                message = java.text.MessageFormat.format(message, record.getParameters());
            } catch (IllegalArgumentException e) {
                // keep the raw pattern
            }
        }
        if (record.getThrown() != null) {
            message = message + ": " + record.getThrown();
        }
        logger.log(level, message, Map.of("logger", String.valueOf(record.getLoggerName())));
    }

    @Override
    public void flush() {
        // JsonLogger flushes every line
    }

    @Override
    public void close() {
        // nothing held
    }
}
