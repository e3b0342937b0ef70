package io.vmconfig.adapters.goplugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GrpcLengthPrefixes} on connections written as an HTTP/2 client writes them: several streams interleaved, each
 * message cut into DATA frames of random sizes, some padded, control frames between them, the whole read back in
 * random chunks. Seeded: a failure names its seed, and the same seed replays it.
 */
class GrpcLengthPrefixesTest {
    private static final int LIMIT = 4096;

    /** The bytes of one connection, and where the first over-size message's prefix ends (-1: none). */
    private record Connection(byte[] bytes, int oversizeEnd, int oversizeStream, long oversizeLength) {}

    @Test
    void findsTheFirstOverSizeMessageExactlyWhereItsPrefixEnds() {
        for (long seed = 1; seed <= 400; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Connection c = connection(r, seed % 3 != 0);
            GrpcLengthPrefixes p = new GrpcLengthPrefixes(LIMIT);
            int at = 0;
            GrpcLengthPrefixes.Oversize found = null;
            int foundAfter = -1;
            while (at < c.bytes().length && found == null) {
                int n = 1 + r.nextInt(Math.min(700, c.bytes().length - at));
                found = p.accept(c.bytes(), at, n);
                at += n;
                if (found != null) {
                    foundAfter = at;
                }
            }
            if (c.oversizeEnd() < 0) {
                assertThat(found).as("seed %d", seed).isNull();
                // every stream ended (END_STREAM or RST_STREAM): nothing is remembered of them
                assertThat(p.streamsMidMessage()).as("seed %d", seed).isZero();
            } else {
                assertThat(found)
                        .as("seed %d", seed)
                        .isEqualTo(new GrpcLengthPrefixes.Oversize(c.oversizeStream(), c.oversizeLength()));
                // found in the chunk that held the prefix's last byte, not before, not after
                assertThat(c.oversizeEnd()).as("seed %d", seed).isLessThanOrEqualTo(foundAfter);
                assertThat(c.oversizeEnd()).as("seed %d", seed).isGreaterThan(foundAfter - 700);
            }
        }
    }

    @Test
    void aMessageOfExactlyTheLimitIsNotOverIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] message = message(LIMIT);
        frame(out, 0x0, 0x1, 1, message, -1);
        GrpcLengthPrefixes p = new GrpcLengthPrefixes(LIMIT);
        assertThat(p.accept(out.toByteArray(), 0, out.size())).isNull();
        ByteArrayOutputStream more = new ByteArrayOutputStream();
        frame(more, 0x0, 0x1, 3, java.util.Arrays.copyOf(message(LIMIT + 1), 5), -1);
        assertThat(p.accept(more.toByteArray(), 0, more.size()))
                .isEqualTo(new GrpcLengthPrefixes.Oversize(3, LIMIT + 1));
    }

    /**
     * A client's bytes: the preface, SETTINGS, then streams 1, 3, 5… each with HEADERS and its messages (one or
     * more) in DATA frames, interleaved at random with PING, WINDOW_UPDATE and other streams' frames; with
     * {@code withOversize}, one message of one stream announces more than the limit and nothing of it follows.
     */
    private static Connection connection(SplittableRandom r, boolean withOversize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(out, 0x4, 0, 0, new byte[12], -1);
        int streams = 1 + r.nextInt(6);
        List<List<byte[]>> pending = new ArrayList<>();
        int oversizeStreamIndex = withOversize ? r.nextInt(streams) : -1;
        for (int s = 0; s < streams; s++) {
            List<byte[]> frames = new ArrayList<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int messages = 1 + r.nextInt(3);
            for (int m = 0; m < messages; m++) {
                body.writeBytes(message(r.nextInt(LIMIT + 1)));
            }
            byte[] all = body.toByteArray();
            int cut = 0;
            while (cut < all.length) {
                int n = Math.min(all.length - cut, 1 + r.nextInt(1500));
                frames.add(java.util.Arrays.copyOfRange(all, cut, cut + n));
                cut += n;
            }
            if (s == oversizeStreamIndex) {
                // the over-size prefix, possibly split over two frames, and nothing after it
                byte[] prefix = java.util.Arrays.copyOf(message(LIMIT + 1 + r.nextInt(1 << 20)), 5);
                int split = r.nextInt(5);
                if (split > 0) {
                    frames.add(java.util.Arrays.copyOfRange(prefix, 0, split));
                }
                frames.add(java.util.Arrays.copyOfRange(prefix, split, 5));
            }
            pending.add(frames);
        }
        int[] next = new int[streams];
        int oversizeEnd = -1;
        int oversizeStream = -1;
        long oversizeLength = -1;
        boolean[] headersSent = new boolean[streams];
        while (true) {
            List<Integer> open = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                if (next[s] < pending.get(s).size()) {
                    open.add(s);
                }
            }
            if (open.isEmpty() || oversizeEnd >= 0) {
                break;
            }
            int control = r.nextInt(8);
            if (control == 0) {
                frame(out, 0x6, 0, 0, new byte[8], -1);
            } else if (control == 1) {
                frame(out, 0x8, 0, 0, new byte[] {0, 0, 1, 0}, -1);
            } else if (control == 2) {
                // DATA on stream 0 (a protocol error the transport answers): not a stream's message, whatever it says
                frame(out, 0x0, 0, 0, new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, -1);
            }
            int s = open.get(r.nextInt(open.size()));
            int id = 1 + 2 * s;
            if (!headersSent[s]) {
                boolean continued = r.nextInt(3) == 0;
                frame(
                        out,
                        0x1,
                        continued ? 0 : 0x4,
                        id,
                        "headers".getBytes(StandardCharsets.US_ASCII),
                        r.nextInt(3) == 0 ? 7 : -1);
                if (continued) {
                    frame(out, 0x9, 0x4, id, "more headers".getBytes(StandardCharsets.US_ASCII), -1);
                }
                headersSent[s] = true;
            }
            if (s != oversizeStreamIndex && next[s] > 0 && r.nextInt(12) == 0) {
                // the client resets the stream, maybe in the middle of a message: nothing more of it comes
                frame(out, 0x3, 0, id, new byte[] {0, 0, 0, 8}, -1);
                next[s] = pending.get(s).size();
                continue;
            }
            if (r.nextInt(10) == 0) {
                frame(out, 0x0, 0, id, new byte[0], r.nextInt(2) == 0 ? 0 : -1);
            }
            byte[] payload = pending.get(s).get(next[s]++);
            boolean last = next[s] == pending.get(s).size() && s != oversizeStreamIndex;
            int padding = r.nextInt(4) == 0 ? r.nextInt(40) : -1;
            frame(out, 0x0, last ? 0x1 : 0, id, payload, padding);
            if (s == oversizeStreamIndex && next[s] == pending.get(s).size()) {
                // the prefix's last byte is the last data byte of this frame (before its padding)
                oversizeEnd = out.size() - Math.max(padding, 0);
                oversizeStream = id;
                // the announced length, from the prefix's one or two frames
                List<byte[]> f = pending.get(s);
                byte[] lastFrame = f.get(f.size() - 1);
                byte[] whole = new byte[5];
                if (lastFrame.length < 5) {
                    byte[] before = f.get(f.size() - 2);
                    System.arraycopy(before, before.length - (5 - lastFrame.length), whole, 0, 5 - lastFrame.length);
                }
                System.arraycopy(lastFrame, 0, whole, 5 - lastFrame.length, lastFrame.length);
                oversizeLength = ((whole[1] & 0xffL) << 24)
                        | ((whole[2] & 0xffL) << 16)
                        | ((whole[3] & 0xffL) << 8)
                        | (whole[4] & 0xffL);
            }
        }
        return new Connection(out.toByteArray(), oversizeEnd, oversizeStream, oversizeLength);
    }

    /** A gRPC message: uncompressed flag, the 32-bit length, that many bytes. */
    static byte[] message(int length) {
        byte[] m = new byte[5 + length];
        m[1] = (byte) (length >>> 24);
        m[2] = (byte) (length >>> 16);
        m[3] = (byte) (length >>> 8);
        m[4] = (byte) length;
        java.util.Arrays.fill(m, 5, m.length, (byte) 0x5a);
        return m;
    }

    /** One frame; {@code padding} ≥ 0 sets PADDED with that many padding bytes (DATA and HEADERS only). */
    static void frame(ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload, int padding) {
        boolean padded = padding >= 0 && (type == 0x0 || type == 0x1);
        int length = payload.length + (padded ? padding + 1 : 0);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(type);
        out.write(flags | (padded ? 0x8 : 0));
        out.write(stream >>> 24);
        out.write(stream >>> 16);
        out.write(stream >>> 8);
        out.write(stream);
        if (padded) {
            out.write(padding);
        }
        out.writeBytes(payload);
        if (padded) {
            out.writeBytes(new byte[padding]);
        }
    }
}
