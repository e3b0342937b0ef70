package io.vmconfig.adapters.kube;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A plain-HTTP server on 127.0.0.1 that answers each request head with whatever bytes its script gives, written in the
 * script's fragments (each flushed on its own), so a test can send what no well-behaved server would: split answers,
 * broken framing, silence, a close at any point.
 */
final class ScriptedHttpServer implements AutoCloseable {
    /** What a request gets: fragments written one by one, then the connection closed or kept. */
    record Reply(List<byte[]> fragments, boolean closeAfter) {
        static Reply of(String raw) {
            return new Reply(List.of(raw.getBytes(StandardCharsets.ISO_8859_1)), false);
        }

        static Reply closing(String raw) {
            return new Reply(List.of(raw.getBytes(StandardCharsets.ISO_8859_1)), true);
        }

        /** No answer: the connection is closed at once. */
        static final Reply HANG_UP = new Reply(List.of(), true);

        /** No answer for {@code millis}, then the connection closed: a server or a path that went silent. */
        static Reply silence(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HANG_UP;
        }
    }

    /** A request's head as it came: the request line first, then each header line. */
    record Request(int connection, List<String> lines) {
        String target() {
            return lines.get(0).split(" ")[1];
        }

        /** Every value of {@code name}, one per header line, in order. */
        List<String> headers(String name) {
            List<String> out = new java.util.ArrayList<>();
            for (String l : lines.subList(1, lines.size())) {
                int colon = l.indexOf(':');
                if (colon > 0 && l.substring(0, colon).equalsIgnoreCase(name)) {
                    out.add(l.substring(colon + 1).trim());
                }
            }
            return out;
        }

        String header(String name) {
            for (String l : lines.subList(1, lines.size())) {
                int colon = l.indexOf(':');
                if (colon > 0 && l.substring(0, colon).equalsIgnoreCase(name)) {
                    return l.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final Function<Request, Reply> script;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    final ConcurrentLinkedQueue<Request> seen = new ConcurrentLinkedQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    ScriptedHttpServer(Function<Request, Reply> script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "scripted-http-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** The most connections open at one time. */
    int mostOpenAtOnce() {
        return mostOpen.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                int id = connections.incrementAndGet();
                mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                Thread t = new Thread(() -> serve(s, id), "scripted-http-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int id) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                List<String> head = head(in);
                if (head == null) {
                    return;
                }
                Request r = new Request(id, head);
                seen.add(r);
                Reply reply = script.apply(r);
                for (byte[] f : reply.fragments()) {
                    out.write(f);
                    out.flush();
                }
                if (reply.closeAfter()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.decrementAndGet();
        }
    }

    private static List<String> head(InputStream in) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n' && prev == '\r') {
                byte[] l = line.toByteArray();
                String text = new String(l, 0, l.length - 1, StandardCharsets.ISO_8859_1);
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
            prev = b;
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
