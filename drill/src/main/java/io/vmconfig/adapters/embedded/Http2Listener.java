package io.vmconfig.adapters.embedded;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A second listener of an {@link EmbeddedKube} that negotiates HTTP/2 by ALPN, as kube-apiserver does. fabric8's mock
 * server offers no ALPN, so a client that asks for h2 (the JDK client fabric8 builds does, unless told otherwise)
 * falls back to HTTP/1.1 there, while against a real cluster it reads over one HTTP/2 connection. Requests go to the
 * same dispatcher as the mock's own listener (authentication and RBAC, faults, admission, the CRUD store), handled by
 * the mock's own request handler, so a read or a write gets the answer it gets there. It is made for those: unlike the
 * mock's listener it sets no WebSocket sub-protocols and no automatic 100-continue, so watches and exec are not
 * served alike. Its requests are not in the mock's request log ({@code takeRequest}, {@code getRequestCount}); those
 * that pass authentication are in {@link Faults#drainSeen()}. The listener counts them by the protocol each came in
 * on. With {@link Offer#HTTP_1_1} it offers HTTP/1.1 only: the same listener, the other protocol.
 */
public final class Http2Listener implements AutoCloseable {
    /** What the listener offers in ALPN. */
    public enum Offer {
        /** h2, then http/1.1, as kube-apiserver. */
        H2,
        /** http/1.1 only. */
        HTTP_1_1
    }

    private final Vertx vertx;
    private final SelfSignedCertificate cert;
    private final HttpServer server;
    private final Map<String, LongAdder> seen = new ConcurrentHashMap<>();
    /** This listener's base URL ({@code https://127.0.0.1:PORT}), to give clients instead of the mock's. */
    public final String url;

    private Http2Listener(Dispatcher dispatcher, Offer offer) {
        vertx = Vertx.vertx();
        try {
            cert = SelfSignedCertificate.create("127.0.0.1");
        } catch (RuntimeException e) {
            vertx.close(); // its threads are not daemons: a failed start must not keep the JVM alive
            throw e;
        }
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(
                        offer == Offer.H2
                                ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1)
                                : List.of(HttpVersion.HTTP_1_1))
                .setKeyCertOptions(cert.keyCertOptions())
                .setHost("127.0.0.1")
                .setPort(0);
        server = vertx.createHttpServer(options).requestHandler(new HttpServerRequestHandler(vertx) {
            @Override
            protected MockResponse onHttpRequest(RecordedRequest request) {
                seen.computeIfAbsent(request.getHttpVersion(), k -> new LongAdder())
                        .increment();
                return dispatcher.dispatch(request);
            }
        });
        try {
            await(server.listen().toCompletionStage().toCompletableFuture(), "start the HTTP/2 listener");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        url = "https://127.0.0.1:" + server.actualPort();
    }

    /** The listener's self-signed certificate (PEM), issued to the name "127.0.0.1": a CA a client may pin. */
    public java.nio.file.Path certificate() {
        return java.nio.file.Path.of(cert.certificatePath());
    }

    /** A listener of {@code kube}'s API on a free loopback port. */
    public static Http2Listener start(EmbeddedKube kube, Offer offer) {
        return new Http2Listener(kube.rbac, offer);
    }

    /** Requests received so far by the protocol they came in on ({@code H2}, {@code HTTP/1.1}), sorted. */
    public Map<String, Long> requestsByProtocol() {
        Map<String, Long> out = new TreeMap<>();
        seen.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            await(vertx.close().toCompletionStage().toCompletableFuture(), "stop the HTTP/2 listener");
        } finally {
            cert.delete();
        }
    }
}
