package io.vmconfig.adapters.goplugin;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import javax.net.ServerSocketFactory;

/**
 * The gRPC server's listening socket, whose connections end at the first request message announced over
 * {@link GoPluginServer#MAX_INBOUND_MESSAGE}, before the transport has read any of it.
 *
 * <p>Why not leave it to the transport: grpc-okhttp's server (1.79.0) refuses such a message by resetting its stream
 * while the client is still sending the rest, and does not count the DATA that then arrives for the closed stream
 * against the connection's flow-control window (RFC 9113 §6.9 says it must). The window that data took was never
 * given back: every later call on that connection waited forever, so one over-size item would have hung Velero's
 * backup or restore (issue 13, thirteenth session; the connection's reads are watched by
 * {@link GrpcLengthPrefixes}).
 *
 * <p>Instead, the read that brings the message's length prefix fails. The transport then ends the connection as on
 * any read error: a GOAWAY naming the last stream it took, every open call failed {@code Unavailable}, the socket
 * closed (streams still open get RST_STREAM CANCEL first). The client starts no call on a connection after its GOAWAY,
 * so its next call opens a new connection: the refused call fails, with any other call then in flight on the same
 * connection, and a JSON error line says why (after grpc's own warning, "Error decoding HTTP/2 frames").
 *
 * <p>Plaintext only: the watch reads the socket's bytes as HTTP/2 frames, so a TLS transport on these sockets would
 * need it to sit above the TLS layer instead ({@link GoPluginServer} serves go-plugin's plaintext loopback).
 */
final class MessageLimitSockets extends ServerSocketFactory {
    private final JsonLogger log;
    private final int limit;

    MessageLimitSockets(JsonLogger log, int limit) {
        this.log = log;
        this.limit = limit;
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                Socket s = new Watched();
                implAccept(s);
                return s;
            }
        };
    }

    @Override
    public ServerSocket createServerSocket(int port) {
        throw unused();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) {
        throw unused();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
        throw unused();
    }

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("the plugin's gRPC server binds an unbound socket of its own");
    }

    /** An accepted connection whose input is watched; the same stream for every caller. */
    private final class Watched extends Socket {
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new Limited(super.getInputStream());
            }
            return in;
        }
    }

    private final class Limited extends FilterInputStream {
        private final GrpcLengthPrefixes prefixes = new GrpcLengthPrefixes(limit);
        /** Once a message was refused the rest is passed on unread: the transport only drains it to the end. */
        private boolean refused;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && !refused) {
                GrpcLengthPrefixes.Oversize o = prefixes.accept(b, off, n);
                if (o != null) {
                    refused = true;
                    log.error(
                            "refused a request message over the plugin's limit before reading it; ending its"
                                    + " connection so that the call fails alone and later calls use a new one",
                            Map.of(
                                    "stream",
                                    Integer.toString(o.stream()),
                                    "length",
                                    Long.toString(o.length()),
                                    "limit",
                                    Integer.toString(limit)));
                    throw new IOException("request message of " + o.length() + " bytes on stream " + o.stream()
                            + " is over the plugin's limit of " + limit + " bytes");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes would escape the watch; the transport reads, it does not skip
            if (n <= 0) {
                return 0;
            }
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }
    }
}
