package io.vmconfig.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on a fixed loopback port in front of a server (the in-process API server, S3Proxy) that can be
 * taken down and brought back on the same port: "down" closes every open connection and refuses new ones, as a
 * restarting or unreachable server does. Clients are pointed at {@link #port()}.
 */
public final class TcpGate implements AutoCloseable {
    private final int target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

    public TcpGate(int target) throws IOException {
        this.target = target;
        ServerSocket s = bind(0);
        this.port = s.getLocalPort();
        start(s);
    }

    public int port() {
        return port;
    }

    /** Connections accepted so far (a test checks that a client came through). */
    public int accepted() {
        return accepted.get();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void start(ServerSocket s) {
        server = s;
        Thread t = new Thread(
                () -> {
                    while (!s.isClosed()) {
                        try {
                            Socket in = s.accept();
                            accepted.incrementAndGet();
                            Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                            open.add(in);
                            open.add(out);
                            pipe(in, out);
                            pipe(out, in);
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "tcp-gate-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    try (InputStream i = from.getInputStream();
                            OutputStream o = to.getOutputStream()) {
                        for (int n = i.read(buf); n >= 0; n = i.read(buf)) {
                            o.write(buf, 0, n);
                            o.flush();
                        }
                    } catch (IOException e) {
                        // closed by down() or by a peer
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-gate-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** Refuses new connections and cuts the open ones. */
    public synchronized void down() {
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Listens again on the same port. */
    public synchronized void up() throws IOException {
        if (server.isClosed()) {
            start(bind(port));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
    }
}
