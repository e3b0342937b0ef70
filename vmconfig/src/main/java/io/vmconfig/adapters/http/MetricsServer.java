package io.vmconfig.adapters.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.sync.ControllerHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text format 0.0.4), {@code /healthz} (liveness) and {@code /readyz} (readiness) on one
 * port, with the JDK's HTTP server. A probe answers 200 or 503 with its reason code and detail as text.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    public MetricsServer(
            int port,
            Supplier<String> metrics,
            Supplier<ControllerHealth.Verdict> liveness,
            Supplier<ControllerHealth.Verdict> readiness) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new VmConfigException(
                    VmConfigException.Kind.CONFIG, "cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        if (metrics != null) {
            server.createContext(
                    "/metrics", x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        }
        server.createContext("/healthz", x -> probe(x, liveness.get()));
        server.createContext("/readyz", x -> probe(x, readiness.get()));
        server.start();
    }

    private static void probe(HttpExchange x, ControllerHealth.Verdict v) throws IOException {
        send(x, v.ok() ? 200 : 503, "text/plain; charset=utf-8", v.reason() + ": " + v.detail() + "\n");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange x, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(code, b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
