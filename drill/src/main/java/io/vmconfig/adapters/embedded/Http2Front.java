package io.vmconfig.adapters.embedded;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TLS front for {@link EmbeddedKube} that negotiates HTTP/2 by ALPN, as kube-apiserver does. fabric8's mock server
 * offers no ALPN, so a client that asks for h2 (the JDK client fabric8 builds does, unless told otherwise) falls back
 * to HTTP/1.1 there, while against a real cluster it reads over one HTTP/2 connection. Requests are forwarded
 * unchanged (bodies buffered, responses streamed, so watches pass); the front counts them by the protocol each came
 * in on. With {@link Offer#HTTP_1_1} it offers HTTP/1.1 only: the same hop, the other protocol.
 */
public final class Http2Front implements AutoCloseable {
    /** What the front offers in ALPN. */
    public enum Offer {
        /** h2, then http/1.1, as kube-apiserver. */
        H2,
        /** http/1.1 only. */
        HTTP_1_1
    }

    /** Headers of one connection, not of the request (RFC 9113 §8.2.2 forbids them in HTTP/2). */
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "host");

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient upstream;
    private final HttpServer server;
    private final URI target;
    private final Map<String, LongAdder> seen = new ConcurrentHashMap<>();
    /** This front's base URL ({@code https://127.0.0.1:PORT}), to give clients instead of the upstream's. */
    public final String url;

    private Http2Front(String upstreamUrl, Offer offer) {
        target = URI.create(upstreamUrl);
        boolean tls = "https".equals(target.getScheme());
        upstream = vertx.createHttpClient(
                new HttpClientOptions()
                        .setSsl(tls)
                        .setTrustAll(true) // the embedded server's certificate is self-signed
                        .setVerifyHost(false)
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(32));
        SelfSignedCertificate cert = SelfSignedCertificate.create("127.0.0.1");
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
        server = vertx.createHttpServer(options).requestHandler(this::forward);
        await(server.listen().toCompletionStage().toCompletableFuture(), "start the HTTP/2 front");
        url = "https://127.0.0.1:" + server.actualPort();
    }

    /** A front for the server at {@code upstreamUrl} (scheme, host and port), listening on a free loopback port. */
    public static Http2Front start(String upstreamUrl, Offer offer) {
        return new Http2Front(upstreamUrl.replaceAll("/$", ""), offer);
    }

    /** Requests received so far by protocol ({@code HTTP_2}, {@code HTTP_1_1}), sorted. */
    public Map<String, Long> requestsByProtocol() {
        Map<String, Long> out = new TreeMap<>();
        seen.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private void forward(HttpServerRequest req) {
        seen.computeIfAbsent(req.version().name(), k -> new LongAdder()).increment();
        RequestOptions to = new RequestOptions()
                .setMethod(req.method())
                .setHost(target.getHost())
                .setPort(target.getPort())
                .setURI(req.uri());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copy(req.headers(), headers);
        to.setHeaders(headers);
        req.body()
                .compose(body -> upstream.request(to).compose(r -> r.send(body)))
                .onSuccess(resp -> {
                    HttpServerResponse out = req.response().setStatusCode(resp.statusCode());
                    copy(resp.headers(), out.headers());
                    if (resp.getHeader("content-length") == null && req.version() != HttpVersion.HTTP_2) {
                        out.setChunked(true); // a watch: streamed as the server sends it
                    }
                    resp.pipeTo(out);
                })
                .onFailure(e -> {
                    if (!req.response().headWritten()) {
                        req.response().setStatusCode(502).end("front: " + e);
                    } else {
                        req.response().reset();
                    }
                });
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.startsWith(":")) {
                to.add(h.getKey(), h.getValue());
            }
        });
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
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
        await(vertx.close().toCompletionStage().toCompletableFuture(), "stop the HTTP/2 front");
    }
}
