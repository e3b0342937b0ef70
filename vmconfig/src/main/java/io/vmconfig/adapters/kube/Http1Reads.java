package io.vmconfig.adapters.kube;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * GETs on kept-alive HTTP/1.1 connections, run on the calling thread: vm-backup's reads of a VM's dependencies
 * (docs/benchmarks.md, issue 13, fifteenth session). Each request of a batch is written on a connection of its own
 * before the first answer is read, so the API server works on them at once and a batch waits for its slowest read,
 * with no thread, future or hand-off per read: the JDK client's machinery for the same reads was half of an
 * Execute's CPU.
 *
 * <p>It answers only with what it read whole: a status, and a 200's body. A connection that cannot be opened or
 * fails, a framing it does not accept or an answer over the limits is {@link Answer#UNANSWERED}. The caller
 * ({@link PluginReads}) takes a 200 or a 404 and reads anything else again through fabric8's client, which retries,
 * refreshes the token and classifies the error; a GET is safe to repeat. A connection goes back to the pool only
 * after a whole answer with nothing after it; a body is framed by Content-Length or chunked, never both.
 */
final class Http1Reads implements AutoCloseable {
    static final int MAX_HEADER_BYTES = 64 * 1024;
    /**
     * Above what the API server stores for one object (etcd's default request limit is 1.5 MiB): a larger answer is
     * left to fabric8's client rather than held here.
     */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** Connections in flight at once and kept idle: a batch larger than this is read in waves. */
    static final int MAX_CONNECTIONS = 8;
    /**
     * How long an idle connection is kept: well below the idle timeouts of the load balancers and connection trackers
     * between a pod and the API server (minutes), which may drop a connection without a word, so that a kept
     * connection is not found dead only after a read timeout.
     */
    static final long IDLE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    /**
     * One GET: the request target (path and query; null: not to be sent) and its header lines besides Host, in order,
     * a name once per value.
     */
    record Get(String target, List<Map.Entry<String, String>> headers) {}

    /** A status and, for a 200, its body (UTF-8); {@link #UNANSWERED} (code 0) when no whole answer came. */
    record Answer(int code, String body) {
        static final Answer UNANSWERED = new Answer(0, null);
    }

    /**
     * Where the connections go and how they are opened: {@code tls} null for plain HTTP; {@code tlsProtocols} null
     * for the context's own; the server's name is always verified against its certificate, as the JDK client does.
     */
    record Endpoint(
            String host,
            int port,
            String hostHeader,
            SSLSocketFactory tls,
            String[] tlsProtocols,
            int connectTimeoutMillis,
            int readTimeoutMillis) {}

    private final Endpoint endpoint;
    private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
    private boolean closed;

    private final long idleNanos;

    Http1Reads(Endpoint endpoint) {
        this(endpoint, IDLE_NANOS);
    }

    /** {@code idleNanos}: how long an idle connection is kept (tests shorten it). */
    Http1Reads(Endpoint endpoint, long idleNanos) {
        this.endpoint = endpoint;
        this.idleNanos = idleNanos;
    }

    /**
     * Each of {@code gets} answered, in the same order; a failed one is {@link Answer#UNANSWERED}. Every answer is
     * awaited until the read timeout after its request was written, so the requests of a batch, written together,
     * wait out their timeouts together. After a connection cannot be opened, the rest of the batch opens none.
     */
    List<Answer> read(List<Get> gets) {
        int n = gets.size();
        Answer[] out = new Answer[n];
        Http1Connection[] sent = new Http1Connection[n];
        long[] deadlines = new long[n];
        boolean[] openFailed = {false};
        int next = 0;
        try {
            for (int i = 0; i < n; i++) {
                while (next < n && next - i < MAX_CONNECTIONS) {
                    sent[next] = send(gets.get(next), openFailed);
                    deadlines[next] = deadline();
                    next++;
                }
                Http1Connection c = sent[i];
                sent[i] = null;
                out[i] = c == null ? Answer.UNANSWERED : receive(c, gets.get(i), deadlines[i], openFailed);
            }
        } finally {
            for (Http1Connection c : sent) {
                if (c != null) {
                    c.close(); // sent, never read: a failure left the loop
                }
            }
        }
        return List.of(out);
    }

    private long deadline() {
        return endpoint.readTimeoutMillis() <= 0
                ? Long.MAX_VALUE
                : System.nanoTime() + endpoint.readTimeoutMillis() * 1_000_000L;
    }

    /** The request written on an idle connection or a new one; null when neither took it. */
    private Http1Connection send(Get get, boolean[] openFailed) {
        byte[] request = request(get);
        if (request == null) {
            return null;
        }
        Http1Connection reused = take();
        if (reused != null) {
            try {
                reused.write(request);
                return reused;
            } catch (IOException e) {
                reused.close(); // closed by the server while idle: a new connection gets the request
            }
        }
        return sendOnNew(request, openFailed);
    }

    private Http1Connection sendOnNew(byte[] request, boolean[] openFailed) {
        if (openFailed[0]) {
            return null;
        }
        Http1Connection fresh = null;
        try {
            fresh = open();
            fresh.write(request);
            return fresh;
        } catch (IOException e) {
            openFailed[0] = fresh == null;
            if (fresh != null) {
                fresh.close();
            }
            return null;
        }
    }

    /**
     * The answer on {@code c} by {@code deadline}; a reused connection the server had closed gets the request again
     * on a new one, and one that timed out makes every idle connection suspect.
     */
    private Answer receive(Http1Connection c, Get get, long deadline, boolean[] openFailed) {
        try {
            c.timeout(deadline);
            return finish(c, c.answer(MAX_HEADER_BYTES, MAX_BODY_BYTES));
        } catch (Http1Connection.ClosedBeforeAnswer e) {
            c.close();
            if (!c.reused()) {
                return Answer.UNANSWERED;
            }
            Http1Connection fresh = sendOnNew(request(get), openFailed);
            if (fresh == null) {
                return Answer.UNANSWERED;
            }
            try {
                fresh.timeout(deadline());
                return finish(fresh, fresh.answer(MAX_HEADER_BYTES, MAX_BODY_BYTES));
            } catch (IOException again) {
                fresh.close();
                return Answer.UNANSWERED;
            }
        } catch (java.net.SocketTimeoutException e) {
            c.close();
            if (c.reused()) {
                discardIdle(); // a path that drops connections silently drops the others too
            }
            return Answer.UNANSWERED;
        } catch (IOException e) {
            c.close();
            return Answer.UNANSWERED;
        }
    }

    private Answer finish(Http1Connection c, Http1Connection.Response r) {
        if (r.reusable()) {
            release(c);
        } else {
            c.close();
        }
        return new Answer(r.code(), r.code() == 200 ? new String(r.body(), StandardCharsets.UTF_8) : null);
    }

    /** The request's bytes; null when a header would not fit on one line (the caller's client sends it instead). */
    private byte[] request(Get get) {
        if (get.target() == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(256)
                .append("GET ")
                .append(get.target())
                .append(" HTTP/1.1\r\nHost: ")
                .append(endpoint.hostHeader())
                .append("\r\nAccept: application/json\r\n");
        for (Map.Entry<String, String> h : get.headers()) {
            if (!fieldSafe(h.getKey()) || !fieldSafe(h.getValue()) || h.getKey().isEmpty()) {
                return null;
            }
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (!fieldSafe(get.target()) || get.target().indexOf(' ') >= 0) {
            return null;
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean fieldSafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\r' || ch == '\n' || ch == 0) {
                return false;
            }
        }
        return true;
    }

    private Http1Connection open() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), endpoint.connectTimeoutMillis());
            s.setSoTimeout(endpoint.readTimeoutMillis());
            Socket io = s;
            if (endpoint.tls() != null) {
                SSLSocket ssl = (SSLSocket) endpoint.tls().createSocket(s, endpoint.host(), endpoint.port(), true);
                SSLParameters p = ssl.getSSLParameters();
                if (!isIpLiteral(endpoint.host())) {
                    // as the JDK client does for any name (SSLSocket itself sends it only for names with a dot)
                    p.setServerNames(List.of(new javax.net.ssl.SNIHostName(endpoint.host())));
                }
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setApplicationProtocols(new String[] {"http/1.1"});
                if (endpoint.tlsProtocols() != null) {
                    p.setProtocols(endpoint.tlsProtocols());
                }
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                io = ssl;
            }
            return new Http1Connection(io);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
    }

    /** The most recently used idle connection; those idle longer than {@link #IDLE_NANOS} are closed. */
    private Http1Connection take() {
        List<Http1Connection> stale = new java.util.ArrayList<>();
        Http1Connection c;
        long now = System.nanoTime();
        synchronized (this) {
            // released at the end, so the longest idle are first
            while (!idle.isEmpty() && now - idle.peekFirst().idleSince() > idleNanos) {
                stale.add(idle.pollFirst());
            }
            c = idle.pollLast();
        }
        stale.forEach(Http1Connection::close);
        if (c != null) {
            c.markReused();
        }
        return c;
    }

    private void release(Http1Connection c) {
        c.idleFrom(System.nanoTime());
        synchronized (this) {
            if (!closed && idle.size() < MAX_CONNECTIONS) {
                idle.addLast(c);
                return;
            }
        }
        c.close();
    }

    /** Closes every idle connection (the caller found an answer it did not trust); new reads open new ones. */
    void discardIdle() {
        List<Http1Connection> drop;
        synchronized (this) {
            drop = List.copyOf(idle);
            idle.clear();
        }
        drop.forEach(Http1Connection::close);
    }

    /** Idle connections now (for tests: which were kept). */
    synchronized int idleConnections() {
        return idle.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        discardIdle();
    }
}
