package io.vmconfig.core.repo;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A run's salt (repository-format.md §5.6): 4 bytes drawn from the writer's injected randomness once per run and
 * written into every full frame and pack the run puts, right after the codec byte, which then carries the flag
 * {@link #FLAG}, and into the gzip time field of every manifest node it puts. Readers skip it. It makes the name of every object a run uploads one that no earlier run's object
 * carries (unless that run drew the same 32 bits for the same content), which is what lets prune delete without a
 * conditional delete in the store (§9 "Why this is safe while a backup runs"). Dedup is unaffected: a writer reuses
 * what its parent's entries name, by content id, never by recomputing an object's name.
 */
final class Salt {
    /** The codec-byte flag of a salted frame or pack: {@code 0x10 | codec}. */
    static final int FLAG = 0x10;
    /** The salt's length in bytes. */
    static final int BYTES = 4;

    private final byte[] bytes;

    private Salt(byte[] bytes) {
        this.bytes = bytes;
    }

    /** One run's salt, from the writer's injected randomness. */
    static Salt draw(RandomGenerator random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        return new Salt(b);
    }

    /** {@code frame} (a version 4 full frame or pack, codec byte first) with this salt after its codec byte. */
    byte[] apply(byte[] frame) {
        byte[] out = new byte[frame.length + BYTES];
        out[0] = (byte) (frame[0] | FLAG);
        System.arraycopy(bytes, 0, out, 1, BYTES);
        System.arraycopy(frame, 1, out, 1 + BYTES, frame.length - 1);
        return out;
    }

    /** Whether {@code frame} is salted with {@code codec}: its codec byte is {@code FLAG | codec}. */
    static boolean salted(byte[] frame, byte codec) {
        return frame.length > 0 && frame[0] == (byte) (FLAG | codec);
    }

    /**
     * {@code frame} without its salt when its codec byte carries {@link #FLAG} for one of the salted codecs (full
     * version 4 frames and packs), else {@code frame} itself. A salted codec byte followed by fewer than
     * {@link #BYTES} bytes is left as it is, so the codec's own check refuses it as unknown.
     */
    static byte[] strip(byte[] frame) {
        if (frame.length < 1 + BYTES || (frame[0] & 0xf0) != FLAG) {
            return frame;
        }
        int codec = frame[0] & 0x0f;
        if (codec < BundleCompression.V4_PLAIN || codec > Pack.TYPE || codec == BundleCompression.V4_DELTA) {
            return frame;
        }
        byte[] out = Arrays.copyOfRange(frame, BYTES, frame.length);
        out[0] = (byte) codec;
        return out;
    }

    /** Bytes 4 to 7 of a gzip member: its MTIME, which readers ignore (RFC 1952). */
    private static final int GZIP_MTIME = 4;

    /**
     * A manifest node's gzip (as {@link Gzip#compress} writes it, time field zero) with this salt in its time field:
     * readers of every version ignore the field, so salting a node costs no byte and no reader change (§5.6).
     */
    byte[] gzip(byte[] gzip) {
        byte[] out = gzip.clone();
        System.arraycopy(bytes, 0, out, GZIP_MTIME, BYTES);
        return out;
    }

    /** The content name of a stored manifest node: the SHA-256 of its gzip with the time field zeroed. */
    static Digest contentOfGzip(byte[] stored) {
        if (stored.length < GZIP_MTIME + BYTES) {
            return Digest.sha256(stored);
        }
        byte[] plain = stored.clone();
        java.util.Arrays.fill(plain, GZIP_MTIME, GZIP_MTIME + BYTES, (byte) 0);
        return Digest.sha256(plain);
    }
}
