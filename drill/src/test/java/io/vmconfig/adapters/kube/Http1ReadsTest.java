package io.vmconfig.adapters.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.adapters.kube.ScriptedHttpServer.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plugin's own HTTP/1.1 reads against a server that says exactly what each test scripts: bodies framed every legal
 * way and split anywhere (seeded, replayable), connections kept only when that is certain, and every answer it does
 * not accept (hostile, broken, over a limit, silent) unanswered and its connection closed, so that the caller asks
 * fabric8's client instead.
 */
class Http1ReadsTest {
    private static final long SEED = Long.getLong("test.seed", 20261206L);

    private static Http1Reads reads(ScriptedHttpServer server, int readTimeoutMillis) {
        return new Http1Reads(new Http1Reads.Endpoint(
                "127.0.0.1", server.port(), "127.0.0.1:" + server.port(), null, null, 2000, readTimeoutMillis));
    }

    private static Http1Reads reads(ScriptedHttpServer server, int readTimeoutMillis, long idleNanos) {
        return new Http1Reads(
                new Http1Reads.Endpoint(
                        "127.0.0.1", server.port(), "127.0.0.1:" + server.port(), null, null, 2000, readTimeoutMillis),
                idleNanos);
    }

    private static Http1Reads.Get get(String target) {
        return new Http1Reads.Get(target, List.of(Map.entry("Authorization", "Bearer t0ken")));
    }

    @Test
    void bodiesFramedEveryLegalWayAndSplitAnywhereAreReadWholeOnOneKeptConnection() throws Exception {
        Random random = new Random(SEED);
        List<String> bodies = new ArrayList<>();
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> randomReply(random, bodies));
                Http1Reads reads = reads(server, 5000)) {
            for (int i = 0; i < 300; i++) {
                Http1Reads.Answer a = reads.read(List.of(get("/api/v1/namespaces/prod/secrets/s" + i)))
                        .get(0);
                assertThat(a.code()).as("seed %d, answer %d", SEED, i).isEqualTo(200);
                assertThat(a.body()).as("seed %d, answer %d", SEED, i).isEqualTo(bodies.get(i));
            }
            assertThat(server.connections())
                    .as("every answer left the connection reusable")
                    .isEqualTo(1);
            assertThat(server.seen.peek().header("Authorization")).isEqualTo("Bearer t0ken");
            assertThat(server.seen.peek().header("Host")).isEqualTo("127.0.0.1:" + server.port());
        }
    }

    /** A JSON-ish body of random length and characters, framed by Content-Length or chunks, cut into fragments. */
    private static Reply randomReply(Random random, List<String> bodies) {
        StringBuilder body = new StringBuilder();
        int length = random.nextInt(10) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 40 : 70_000);
        for (int i = 0; i < length; i++) {
            body.append(
                    random.nextInt(20) == 0 ? (char) (0x400 + random.nextInt(300)) : (char) (32 + random.nextInt(94)));
        }
        bodies.add(body.toString());
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        String statusAndHeaders = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + (random.nextBoolean() ? "Audit-Id: " + random.nextInt() + "\r\n" : "");
        if (random.nextBoolean()) {
            raw.writeBytes((statusAndHeaders + "Content-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            raw.writeBytes(bytes);
        } else {
            raw.writeBytes(
                    (statusAndHeaders + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int at = 0;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 9000));
                String size = Integer.toHexString(n);
                raw.writeBytes(((random.nextBoolean() ? size.toUpperCase(java.util.Locale.ROOT) : size)
                                + (random.nextInt(5) == 0 ? ";ext=1" : "") + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                raw.write(bytes, at, n);
                raw.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                at += n;
            }
            raw.writeBytes(("0\r\n" + (random.nextInt(4) == 0 ? "X-Trailer: yes\r\n" : "") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] all = raw.toByteArray();
        List<byte[]> fragments = new ArrayList<>();
        int at = 0;
        while (at < all.length) {
            int n = Math.min(all.length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 20_000));
            fragments.add(java.util.Arrays.copyOfRange(all, at, at + n));
            at += n;
        }
        return new Reply(fragments, false);
    }

    @Test
    void aNotFoundIsAnAnswerAndOtherStatusesComeBackWithTheirCodeForTheCallerToDecide() throws Exception {
        Function<ScriptedHttpServer.Request, Reply> script = r -> switch (r.target()) {
            case "/missing" -> Reply.of("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found");
            case "/denied" -> Reply.of("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\n{}");
            default -> Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        };
        try (ScriptedHttpServer server = new ScriptedHttpServer(script);
                Http1Reads reads = reads(server, 5000)) {
            List<Http1Reads.Answer> answers = reads.read(List.of(get("/missing"), get("/denied"), get("/ok")));

            assertThat(answers).extracting(Http1Reads.Answer::code).containsExactly(404, 403, 200);
            assertThat(answers.get(0).body()).isNull();
            assertThat(answers.get(1).body()).as("only a 200's body is given").isNull();
            assertThat(reads.idleConnections()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n", // more than the answer
                "HTTP/1.1 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}"
            })
    void anAnswerThatMayNotBeFollowedByAnotherIsTakenAndItsConnectionClosed(String raw) throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> Reply.closing(raw));
                Http1Reads reads = reads(server, 5000)) {
            Http1Reads.Answer a = reads.read(List.of(get("/x"))).get(0);

            assertThat(a.code()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("{}");
            assertThat(reads.idleConnections()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "HTTP/2 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}",
                "ICY 200 OK\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n folded\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 4194305\r\n\r\n{}",
                "HTTP/1.1 200 OK\nContent-Length: 2\n\n{}",
                "HTTP/1.1 200 OK\r\nX: a\u0000b\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400001\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", // no last chunk
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", // cut short
                "HTTP/1.1 200 OK\r\nContent-Le", // cut in the headers
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\n\r\n{}" // no framing: cannot be told from an answer cut short
            })
    void anAnswerItDoesNotAcceptIsUnansweredAndItsConnectionClosed(String raw) throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> Reply.closing(raw));
                Http1Reads reads = reads(server, 5000)) {
            Http1Reads.Answer a = reads.read(List.of(get("/x"))).get(0);

            assertThat(a.code()).as("no 200 taken from it").isNotEqualTo(200);
            assertThat(reads.idleConnections()).isZero();
        }
    }

    @Test
    void headersAndBodiesOverTheirLimitsAreUnanswered() throws Exception {
        String bigHeader =
                "HTTP/1.1 200 OK\r\nX: " + "a".repeat(Http1Reads.MAX_HEADER_BYTES) + "\r\nContent-Length: 2\r\n\r\n{}";
        StringBuilder chunks = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "x".repeat(0x100000);
        for (int i = 0; i < 5; i++) {
            chunks.append("100000\r\n").append(chunk).append("\r\n");
        }
        chunks.append("0\r\n\r\n");
        String longExtension =
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;" + "x".repeat(2000) + "\r\n{}\r\n0\r\n\r\n";
        for (String raw : List.of(bigHeader, chunks.toString(), longExtension)) {
            try (ScriptedHttpServer server = new ScriptedHttpServer(r -> Reply.closing(raw));
                    Http1Reads reads = reads(server, 5000)) {
                assertThat(reads.read(List.of(get("/x"))).get(0)).isEqualTo(Http1Reads.Answer.UNANSWERED);
            }
        }
    }

    @Test
    void aBodyInManyOneByteChunksIsReadWhole() throws Exception {
        String body = "{\"data\":\"" + "y".repeat(100_000) + "\"}";
        StringBuilder raw = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (char c : body.toCharArray()) {
            raw.append("1\r\n").append(c).append("\r\n");
        }
        raw.append("0\r\n\r\n");
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> Reply.of(raw.toString()));
                Http1Reads reads = reads(server, 5000)) {
            assertThat(reads.read(List.of(get("/x"))).get(0).body()).isEqualTo(body);
            assertThat(reads.idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void aKeptConnectionTheServerDroppedIsReplacedAndTheReadAnswered() throws Exception {
        // the server answers without saying it will close, then closes: the kept connection is dead
        try (ScriptedHttpServer server = new ScriptedHttpServer(r ->
                        Reply.closing("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n\"" + r.connection() + "\"\""));
                Http1Reads reads = reads(server, 5000)) {
            assertThat(reads.read(List.of(get("/a"))).get(0).body()).isEqualTo("\"1\"\"");
            assertThat(reads.idleConnections()).isEqualTo(1);
            Thread.sleep(100); // the server's close has arrived

            Http1Reads.Answer again = reads.read(List.of(get("/a"))).get(0);

            assertThat(again.code()).isEqualTo(200);
            assertThat(again.body()).isEqualTo("\"2\"\"");
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void keptConnectionsGoneSilentAreWaitedForTogetherAndNoneIsKeptAfter() throws Exception {
        java.util.Set<Integer> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // each connection answers its first request, then says nothing more (a path that dropped it silently)
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> {
                    return answered.add(r.connection())
                            ? Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                            : Reply.silence(10_000);
                });
                Http1Reads reads = reads(server, 1000)) {
            reads.read(List.of(get("/a"), get("/b"), get("/c")));
            assertThat(reads.idleConnections()).isEqualTo(3);

            long t0 = System.nanoTime();
            List<Http1Reads.Answer> answers = reads.read(List.of(get("/a"), get("/b"), get("/c")));
            long millis = (System.nanoTime() - t0) / 1_000_000;

            assertThat(answers).containsOnly(Http1Reads.Answer.UNANSWERED);
            // written together, their timeouts run together: not three read timeouts one after another
            assertThat(millis).isLessThan(2500);
            assertThat(reads.idleConnections()).isZero();
        }
    }

    @Test
    void aConnectionIdleLongerThanTheLimitIsClosedNotUsed() throws Exception {
        try (ScriptedHttpServer server =
                        new ScriptedHttpServer(r -> Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"));
                Http1Reads reads = reads(server, 5000, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200))) {
            reads.read(List.of(get("/a")));
            reads.read(List.of(get("/a")));
            assertThat(server.connections()).as("reused while fresh").isEqualTo(1);
            Thread.sleep(400);

            assertThat(reads.read(List.of(get("/a"))).get(0).code()).isEqualTo(200);

            assertThat(server.connections()).isEqualTo(2);
            assertThat(reads.idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void aSilentServerIsUnansweredAfterTheReadTimeout() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> Reply.silence(5000));
                Http1Reads reads = reads(server, 300)) {
            long t0 = System.nanoTime();
            assertThat(reads.read(List.of(get("/slow"))).get(0)).isEqualTo(Http1Reads.Answer.UNANSWERED);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4000);
            assertThat(reads.idleConnections()).isZero();
        }
    }

    @Test
    void aServerThatIsNotThereIsUnanswered() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Http1Reads reads = new Http1Reads(
                new Http1Reads.Endpoint("127.0.0.1", port, "127.0.0.1:" + port, null, null, 1000, 1000))) {
            assertThat(reads.read(List.of(get("/a"), get("/b"))))
                    .containsExactly(Http1Reads.Answer.UNANSWERED, Http1Reads.Answer.UNANSWERED);
        }
    }

    @Test
    void aHeaderOrTargetThatWouldSplitTheRequestIsNeverSent() throws Exception {
        try (ScriptedHttpServer server =
                        new ScriptedHttpServer(r -> Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"));
                Http1Reads reads = reads(server, 5000)) {
            List<Http1Reads.Answer> answers = reads.read(List.of(
                    new Http1Reads.Get("/a", List.of(Map.entry("Authorization", "Bearer x\r\nX-Injected: 1"))),
                    new Http1Reads.Get("/a HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET /b", List.of()),
                    new Http1Reads.Get(null, List.of())));

            assertThat(answers).containsOnly(Http1Reads.Answer.UNANSWERED);
            assertThat(server.seen).isEmpty();
        }
    }

    @Test
    void aBatchLargerThanTheConnectionsIsReadInWavesAndAnsweredInOrder() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer(r -> {
                    String body = "\"" + r.target() + "\"";
                    return Reply.of("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                });
                Http1Reads reads = reads(server, 5000)) {
            List<Http1Reads.Get> gets = new ArrayList<>();
            for (int i = 0; i < 3 * Http1Reads.MAX_CONNECTIONS + 1; i++) {
                gets.add(get("/o" + i));
            }

            List<Http1Reads.Answer> answers = reads.read(gets);

            for (int i = 0; i < gets.size(); i++) {
                assertThat(answers.get(i).body()).isEqualTo("\"/o" + i + "\"");
            }
            assertThat(server.mostOpenAtOnce()).isLessThanOrEqualTo(Http1Reads.MAX_CONNECTIONS);
            assertThat(reads.idleConnections()).isEqualTo(Http1Reads.MAX_CONNECTIONS);
        }
    }
}
