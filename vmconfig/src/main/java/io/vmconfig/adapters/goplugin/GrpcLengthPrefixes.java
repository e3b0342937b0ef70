package io.vmconfig.adapters.goplugin;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the bytes a gRPC client sends on one HTTP/2 connection, as they come and in any chunks, and finds the first
 * request message announced larger than a limit: the connection preface, then frames (RFC 9113 §4.1: 24-bit length,
 * type, flags, stream); in each stream's DATA (padding skipped) the gRPC messages one after the other, each a 5-byte
 * prefix (compressed flag, 32-bit length) and its body. It only reads: the bytes go on unchanged.
 */
final class GrpcLengthPrefixes {
    private static final int PREFACE = 24;
    private static final int FRAME_HEADER = 9;
    private static final int DATA = 0x0;
    private static final int RST_STREAM = 0x3;
    private static final int END_STREAM = 0x1;
    private static final int PADDED = 0x8;

    /** A message announced over the limit: its stream and its length. */
    record Oversize(int stream, long length) {}

    private final long limit;
    private final Map<Integer, Message> streams = new HashMap<>();
    private long prefaceLeft = PREFACE;
    private final byte[] header = new byte[FRAME_HEADER];
    private int headerHave;
    /** The frame being read: its payload left, its padding left at the end, and whether it is DATA. */
    private long payloadLeft;

    private int paddingLeft;
    private boolean padLengthNext;
    private boolean data;
    private boolean endStream;
    private int stream;

    GrpcLengthPrefixes(long limit) {
        this.limit = limit;
    }

    /** Where one stream is in its messages: the prefix bytes read so far, or the body left. */
    private static final class Message {
        final byte[] prefix = new byte[5];
        int prefixHave;
        long bodyLeft;
    }

    /** Reads {@code len} bytes of {@code b} from {@code off}; the first over-size message in them, else null. */
    Oversize accept(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (prefaceLeft > 0) {
                int n = (int) Math.min(prefaceLeft, end - i);
                prefaceLeft -= n;
                i += n;
            } else if (headerHave < FRAME_HEADER) {
                header[headerHave++] = b[i++];
                if (headerHave == FRAME_HEADER) {
                    startFrame();
                }
            } else {
                int n = (int) Math.min(payloadLeft, end - i);
                Oversize o = data ? data(b, i, n) : null;
                payloadLeft -= n;
                i += n;
                if (o != null) {
                    return o;
                }
            }
            if (prefaceLeft == 0 && headerHave == FRAME_HEADER && payloadLeft == 0) {
                endFrame();
            }
        }
        return null;
    }

    private void startFrame() {
        payloadLeft = bigEndian(header, 0, 3);
        int type = header[3] & 0xff;
        int flags = header[4] & 0xff;
        // the stream identifier's first bit is reserved
        stream = (int) (bigEndian(header, 5, 4) & 0x7fffffffL);
        data = type == DATA && stream != 0;
        endStream = data && (flags & END_STREAM) != 0;
        padLengthNext = data && (flags & PADDED) != 0;
        paddingLeft = 0;
        if (type == RST_STREAM) {
            streams.remove(stream);
        }
    }

    private void endFrame() {
        if (endStream) {
            streams.remove(stream);
        }
        headerHave = 0;
        data = false;
        endStream = false;
    }

    /**
     * {@code n} payload bytes of the current DATA frame, at {@code i}, with {@link #payloadLeft} not yet reduced. A
     * stream is only remembered while it is in the middle of a message: one the server ended before its client did
     * (so no END_STREAM or RST_STREAM of the client ever comes) leaves nothing behind between messages.
     */
    private Oversize data(byte[] b, int i, int n) {
        Message m = streams.get(stream);
        if (m == null) {
            m = new Message();
        }
        Oversize o = read(m, b, i, n);
        if (m.prefixHave == 0 && m.bodyLeft == 0) {
            streams.remove(stream);
        } else {
            streams.put(stream, m);
        }
        return o;
    }

    /** The streams in the middle of a message (for tests). */
    int streamsMidMessage() {
        return streams.size();
    }

    private Oversize read(Message m, byte[] b, int i, int n) {
        int end = i + n;
        long left = payloadLeft;
        while (i < end) {
            if (padLengthNext) {
                paddingLeft = b[i] & 0xff;
                padLengthNext = false;
                i++;
                left--;
            } else if (left <= paddingLeft) {
                // the frame's padding, at its end
                int skip = end - i;
                left -= skip;
                i = end;
            } else if (m.bodyLeft > 0) {
                long body = Math.min(m.bodyLeft, Math.min(end - i, left - paddingLeft));
                m.bodyLeft -= body;
                i += (int) body;
                left -= body;
            } else {
                m.prefix[m.prefixHave++] = b[i++];
                left--;
                if (m.prefixHave == 5) {
                    m.prefixHave = 0;
                    long length = bigEndian(m.prefix, 1, 4);
                    if (length > limit) {
                        return new Oversize(stream, length);
                    }
                    m.bodyLeft = length;
                }
            }
        }
        return null;
    }

    /** {@code count} bytes of {@code b} from {@code from}, an unsigned big-endian number (network byte order). */
    private static long bigEndian(byte[] b, int from, int count) {
        long v = 0;
        for (int k = from; k < from + count; k++) {
            v = (v << 8) | (b[k] & 0xffL);
        }
        return v;
    }
}
