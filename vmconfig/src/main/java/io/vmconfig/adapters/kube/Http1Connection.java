package io.vmconfig.adapters.kube;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Locale;

/**
 * One HTTP/1.1 connection of {@link Http1Reads}: writes a request, reads one answer, strictly (RFC 9112). What it does
 * not accept is an {@link IOException}, and the connection is then closed: a status line that is not HTTP/1.x, a
 * header line folded or without a colon, headers over their limit, Content-Length and Transfer-Encoding together, a
 * Transfer-Encoding other than chunked, Content-Lengths that disagree, a body framed by neither (it could not be told
 * from one cut short), a malformed chunk, a body over its limit, an answer cut short. An answer is reusable only when
 * the server keeps the connection and sent nothing after it.
 */
final class Http1Connection {
    /** The server closed the connection before the first byte of an answer (an idle connection it had dropped). */
    static final class ClosedBeforeAnswer extends IOException {
        ClosedBeforeAnswer() {
            super("connection closed before an answer");
        }
    }

    /** A status, its body and whether the connection may carry another request. */
    record Response(int code, byte[] body, boolean reusable) {}

    /** A chunk-size line with its extensions. */
    static final int CHUNK_LINE_BYTES = 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    private boolean reused;
    private long idleSince;

    /** {@code socket} connected (and its TLS handshake done). */
    Http1Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    void idleFrom(long nanos) {
        idleSince = nanos;
    }

    long idleSince() {
        return idleSince;
    }

    /** Waits for the answer at most until {@code deadline} (System.nanoTime; Long.MAX_VALUE: no limit). */
    void timeout(long deadline) throws IOException {
        if (deadline == Long.MAX_VALUE) {
            socket.setSoTimeout(0);
            return;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        // at least a millisecond: an answer already here is read, one still to come is not waited for
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
    }

    void markReused() {
        reused = true;
    }

    boolean reused() {
        return reused;
    }

    void write(byte[] request) throws IOException {
        out.write(request);
        out.flush();
    }

    Response answer(int maxHeaderBytes, int maxBodyBytes) throws IOException {
        boolean any;
        try {
            any = fill();
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            any = false; // reset or TLS closure before a byte came: the same as a close
        }
        if (!any) {
            throw new ClosedBeforeAnswer();
        }
        int[] budget = {maxHeaderBytes};
        String status = line(budget);
        if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
            throw malformed("status line");
        }
        boolean http10 = status.charAt(7) == '0';
        int code = code(status);
        long length = -1;
        boolean chunked = false;
        boolean sawClose = false;
        boolean sawKeepAlive = false;
        for (String h = line(budget); !h.isEmpty(); h = line(budget)) {
            int colon = h.indexOf(':');
            if (colon <= 0 || h.charAt(0) == ' ' || h.charAt(0) == '\t' || h.charAt(colon - 1) == ' ') {
                throw malformed("header line");
            }
            String name = h.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    long l = digits(value);
                    if (length >= 0 && length != l) {
                        throw malformed("Content-Length");
                    }
                    length = l;
                }
                case "transfer-encoding" -> {
                    if (chunked || !value.equalsIgnoreCase("chunked")) {
                        throw malformed("Transfer-Encoding");
                    }
                    chunked = true;
                }
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    sawClose |= v.contains("close");
                    sawKeepAlive |= v.contains("keep-alive");
                }
                default -> {
                    // other headers carry nothing this reader needs
                }
            }
        }
        if (chunked && length >= 0) {
            throw malformed("Content-Length with Transfer-Encoding");
        }
        boolean close = sawClose || (http10 && !sawKeepAlive);
        if (code < 200 || code == 204 || code == 304) {
            // no body to frame; an interim 1xx is not expected on a GET, and the caller asks fabric8's client
            return new Response(code, new byte[0], false);
        }
        byte[] body;
        if (chunked) {
            body = chunks(maxBodyBytes, budget);
        } else if (length >= 0) {
            if (length > maxBodyBytes) {
                throw malformed("body over " + maxBodyBytes + " bytes");
            }
            body = exactly((int) length);
        } else {
            // a body that ends where the connection does cannot be told from one cut short
            throw malformed("no Content-Length and not chunked");
        }
        return new Response(code, body, !close && pos == lim && in.available() == 0);
    }

    private static int code(String status) throws IOException {
        int code = 0;
        for (int i = 9; i < 12; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                throw malformed("status code");
            }
            code = code * 10 + (c - '0');
        }
        if (status.length() > 12 && status.charAt(12) != ' ') {
            throw malformed("status code");
        }
        return code;
    }

    private static long digits(String v) throws IOException {
        if (v.isEmpty() || v.length() > 12) {
            throw malformed("Content-Length");
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw malformed("Content-Length");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private byte[] chunks(int maxBodyBytes, int[] budget) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            // each size line on a budget of its own: a body in many small chunks is legal, the body limit bounds it
            String sizeLine = line(new int[] {CHUNK_LINE_BYTES});
            int semi = sizeLine.indexOf(';');
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
            if (hex.isEmpty() || hex.length() > 7) {
                throw malformed("chunk size");
            }
            int size = 0;
            for (int i = 0; i < hex.length(); i++) {
                int d = Character.digit(hex.charAt(i), 16);
                if (d < 0) {
                    throw malformed("chunk size");
                }
                size = size * 16 + d;
            }
            if (size == 0) {
                while (!line(budget).isEmpty()) {
                    // trailer fields: none is used
                }
                return body.toByteArray();
            }
            if (body.size() + (long) size > maxBodyBytes) {
                throw malformed("body over " + maxBodyBytes + " bytes");
            }
            body.write(exactly(size));
            if (!line(new int[] {2}).isEmpty()) {
                throw malformed("chunk end");
            }
        }
    }

    private byte[] exactly(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            if (pos == lim && !fill()) {
                throw malformed("answer cut short");
            }
            int k = Math.min(n - done, lim - pos);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    /** A line ending in CRLF (a bare LF is refused), charged to {@code budget}. */
    private String line(int[] budget) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            if (pos == lim && !fill()) {
                throw malformed("answer cut short");
            }
            byte b = buf[pos++];
            if (--budget[0] < 0) {
                throw malformed("headers over their limit");
            }
            if (b == '\r') {
                if (pos == lim && !fill()) {
                    throw malformed("answer cut short");
                }
                if (buf[pos++] != '\n') {
                    throw malformed("line end");
                }
                return sb.toString();
            }
            if (b == '\n' || b == 0) {
                throw malformed("line end");
            }
            sb.append((char) (b & 0xff));
        }
    }

    private boolean fill() throws IOException {
        pos = 0;
        lim = 0;
        int n = in.read(buf);
        if (n <= 0) {
            return false;
        }
        lim = n;
        return true;
    }

    private static IOException malformed(String what) {
        return new IOException("malformed answer: " + what);
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing more to read or write on it
        }
    }
}
