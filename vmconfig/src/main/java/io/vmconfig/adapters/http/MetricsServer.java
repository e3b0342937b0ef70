package io.vmconfig.adapters.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code /metrics} (Prometheus text format 0.0.4) and {@code /healthz} on one port, with the JDK's HTTP server. */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    public MetricsServer(int port, Supplier<String> metrics, BooleanSupplier healthy) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.CONFIG, "cannot listen on port " + port + ": "
                    + e.getMessage(), e);
        }
        server.createContext("/metrics", x -> send(x, 200, "text/plain; version=0.0.4", metrics.get()));
        server.createContext("/healthz", x -> {
            boolean ok = healthy.getAsBoolean();
            send(x, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "unhealthy\n");
        });
        server.start();
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
