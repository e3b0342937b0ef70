package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The compressed form of a version 3 bundle (repository-format.md §5.3): {@code 0x01} (raw DEFLATE, RFC 1951), the
 * SHA-256 of the preset dictionary (32 zero bytes: none), the plaintext length (4 bytes, big-endian), then the
 * DEFLATE stream. The JDK's own zlib: no dependency, nothing added to the plugin file or its start.
 *
 * <p>Hostile input is bounded: a declared length above {@link #MAX_PLAIN} is refused before anything is allocated,
 * the output buffer is exactly the declared length, and a stream that would inflate beyond it (a decompression
 * bomb), ends before it, carries trailing bytes or is not DEFLATE fails with INTEGRITY naming the object.
 */
public final class BundleCompression {
    /** The largest bundle plaintext a reader inflates: 64 MiB, as for manifests (§3). */
    public static final int MAX_PLAIN = 64 * 1024 * 1024;

    static final byte DEFLATE = 1;
    /** DEFLATE with a dictionary stored encrypted (trained from Secret-holding bundles; §5.3). */
    static final byte DEFLATE_SEALED = 2;

    private static final int HEADER = 1 + 32 + 4;

    private BundleCompression() {}

    /** Compresses {@code plain} with {@code dictionary} (or none) at the best DEFLATE level. */
    public static byte[] compress(byte[] plain, Optional<Dictionary> dictionary) {
        Deflater d = Zlib.deflater();
        boolean clean = false;
        try {
            dictionary.ifPresent(x -> d.setDictionary(x.bytes()));
            d.setInput(plain);
            d.finish();
            ByteBuffer out = ByteBuffer.allocate(HEADER + plain.length + plain.length / 100 + 64);
            out.put(dictionary.filter(Dictionary::sealed).isPresent() ? DEFLATE_SEALED : DEFLATE);
            out.put(dictionary
                    .map(x -> x.digest().hex())
                    .map(java.util.HexFormat.of()::parseHex)
                    .orElseGet(() -> new byte[32]));
            out.putInt(plain.length);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(buf);
                if (out.remaining() < n) {
                    ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2 + n);
                    out.flip();
                    bigger.put(out);
                    out = bigger;
                }
                out.put(buf, 0, n);
            }
            byte[] compressed = Arrays.copyOf(out.array(), out.position());
            clean = true;
            return compressed;
        } finally {
            Zlib.release(d, clean);
        }
    }

    /** The dictionary a compressed bundle names, if any; INTEGRITY when the header is malformed. */
    public static Optional<Digest> dictionaryOf(byte[] compressed, String what) {
        if (compressed.length < HEADER || (compressed[0] != DEFLATE && compressed[0] != DEFLATE_SEALED)) {
            throw integrity(what + " is not a compressed bundle (unknown codec or short header)");
        }
        byte[] d = Arrays.copyOfRange(compressed, 1, 33);
        boolean none = true;
        for (byte b : d) {
            none &= b == 0;
        }
        return none
                ? Optional.empty()
                : Optional.of(new Digest(java.util.HexFormat.of().formatHex(d)));
    }

    /**
     * Inflates a compressed bundle of version 3 or a full (non-delta) frame of version 4, reading the dictionary it
     * names through {@code dictionaries}; bounded as the class says. {@code what} names the object in every error.
     */
    public static byte[] decompress(
            byte[] compressed, java.util.function.BiFunction<Digest, Boolean, Dictionary> dictionaries, String what) {
        if (compressed.length > 0 && compressed[0] == V4_DELTA) {
            throw integrity(what + " is a delta frame, but its entry names no base");
        }
        if (compressed.length > 0 && isV4(compressed)) {
            byte[] frame = Salt.strip(compressed);
            if ((frame[0] & Salt.FLAG) != 0) {
                throw integrity(what + " is not a compressed bundle (a salted frame shorter than its salt)");
            }
            return decompressV4(frame, dictionaries, what);
        }
        Optional<Digest> dict = dictionaryOf(compressed, what);
        long declared =
                Integer.toUnsignedLong(ByteBuffer.wrap(compressed, 33, 4).getInt());
        boolean sealed = compressed[0] == DEFLATE_SEALED;
        return inflate(
                compressed,
                HEADER,
                declared,
                dict.map(d -> dictionaries.apply(d, sealed).bytes()),
                what);
    }

    // ---- version 4 frames (repository-format.md §5.4) ----

    /** Version 4, raw DEFLATE without a dictionary: {@code 0x04 ‖ varint length ‖ DEFLATE}. */
    static final byte V4_PLAIN = 4;
    /**
     * Version 4 with the stored dictionary: {@code 0x05 ‖ first 16 bytes of the dictionary's SHA-256 ‖ varint length
     * ‖ DEFLATE}; the dictionary is stored under {@code dicts/<those 32 hex digits>}.
     */
    static final byte V4_DICT = 5;
    /** As {@link #V4_DICT} with a sealed dictionary (trained from Secret-holding bundles). */
    static final byte V4_DICT_SEALED = 6;
    /**
     * Version 4 delta: {@code 0x07 ‖ first 4 bytes of the base object's SHA-256 ‖ varint length ‖ copy/insert
     * instructions against the base's plaintext} ({@link DeltaCodec}); the base is named by the entry (§5.4).
     */
    static final byte V4_DELTA = 7;

    /** The bytes of a version 4 frame's dictionary reference. */
    static final int DICT_REF = 16;

    /** The bytes of a delta frame's base check. */
    static final int BASE_CHECK = 4;

    /** A version 4 frame: full (salted or not, §5.6) or delta. */
    static boolean isV4(byte[] frame) {
        return frame.length > 0
                && ((frame[0] >= V4_PLAIN && frame[0] <= V4_DELTA)
                        || Salt.salted(frame, V4_PLAIN)
                        || Salt.salted(frame, V4_DICT)
                        || Salt.salted(frame, V4_DICT_SEALED));
    }

    static boolean isDelta(byte[] frame) {
        return frame.length > 0 && frame[0] == V4_DELTA;
    }

    /** A version 4 full frame of {@code plain}, with {@code dictionary} or none. */
    public static byte[] frame(byte[] plain, Optional<Dictionary> dictionary) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(plain.length / 4 + 48);
        if (dictionary.isEmpty()) {
            out.write(V4_PLAIN);
        } else {
            out.write(dictionary.get().sealed() ? V4_DICT_SEALED : V4_DICT);
            out.write(
                    java.util.HexFormat.of().parseHex(dictionary.get().digest().hex()), 0, DICT_REF);
        }
        writeVarint(out, plain.length);
        out.writeBytes(deflate(plain, dictionary.map(Dictionary::bytes)));
        return out.toByteArray();
    }

    /** A full frame as {@link #frame(byte[], Optional)} writes it, salted with the run's {@code salt} (§5.6). */
    static byte[] frame(byte[] plain, Optional<Dictionary> dictionary, Salt salt) {
        return salt.apply(frame(plain, dictionary));
    }

    /** A version 4 delta frame of {@code plain} against the base object {@code base} whose plaintext is given. */
    public static byte[] delta(byte[] plain, Digest base, byte[] basePlain) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
        out.write(V4_DELTA);
        out.write(java.util.HexFormat.of().parseHex(base.hex()), 0, BASE_CHECK);
        writeVarint(out, plain.length);
        out.writeBytes(DeltaCodec.encode(basePlain, plain));
        return out.toByteArray();
    }

    /**
     * Inflates a version 4 delta frame against its base (named {@code base} by the entry, plaintext
     * {@code basePlain}); INTEGRITY naming {@code what} when the frame is not a delta, names another base, or fails
     * as {@link #decompress} does.
     */
    public static byte[] decompressDelta(byte[] frame, Digest base, byte[] basePlain, String what) {
        if (!isDelta(frame) || frame.length < 1 + BASE_CHECK + 1) {
            throw integrity(what + " is not a delta frame, but its entry names a base");
        }
        byte[] check = java.util.HexFormat.of().parseHex(base.hex(), 0, 2 * BASE_CHECK);
        if (!Arrays.equals(check, Arrays.copyOfRange(frame, 1, 1 + BASE_CHECK))) {
            throw integrity(
                    what + " is a delta of another base than bundles/" + base.hex() + ", which its entry names");
        }
        int[] at = {1 + BASE_CHECK};
        long declared = readVarint(frame, at, what);
        return DeltaCodec.decode(basePlain, frame, at[0], declared, what);
    }

    private static byte[] decompressV4(
            byte[] frame, java.util.function.BiFunction<Digest, Boolean, Dictionary> dictionaries, String what) {
        int[] at = {1};
        Optional<byte[]> dict = Optional.empty();
        if (frame[0] == V4_DICT || frame[0] == V4_DICT_SEALED) {
            if (frame.length < 1 + DICT_REF) {
                throw integrity(what + " is not a compressed bundle (short header)");
            }
            Digest d = new Digest(java.util.HexFormat.of().formatHex(frame, 1, 1 + DICT_REF) + "0".repeat(32));
            dict = Optional.of(dictionaries.apply(d, frame[0] == V4_DICT_SEALED).bytes());
            at[0] = 1 + DICT_REF;
        }
        long declared = readVarint(frame, at, what);
        return inflate(frame, at[0], declared, dict, what);
    }

    static byte[] deflate(byte[] plain, Optional<byte[]> dictionary) {
        Deflater d = Zlib.deflater();
        boolean clean = false;
        try {
            dictionary.ifPresent(d::setDictionary);
            d.setInput(plain);
            d.finish();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(plain.length / 4 + 16);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            clean = true;
            return out.toByteArray();
        } finally {
            Zlib.release(d, clean);
        }
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, int v) {
        int x = v;
        while ((x & ~0x7f) != 0) {
            out.write((x & 0x7f) | 0x80);
            x >>>= 7;
        }
        out.write(x);
    }

    /** An unsigned LEB128 length of at most 5 bytes; INTEGRITY when short or longer. */
    private static long readVarint(byte[] in, int[] at, String what) {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (at[0] >= in.length) {
                throw integrity(what + " is not a compressed bundle (short header)");
            }
            int b = in[at[0]++] & 0xff;
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw integrity(what + " is not a compressed bundle (malformed length)");
    }

    /** Inflates {@code in[off..]} into exactly {@code declared} bytes, bounded as the class says. */
    static byte[] inflate(byte[] in, int off, long declared, Optional<byte[]> dict, String what) {
        if (declared > MAX_PLAIN) {
            throw integrity(what + " declares " + declared + " bytes of plaintext, more than the 64 MiB a reader"
                    + " inflates");
        }
        Inflater inf = Zlib.inflater();
        boolean clean = false;
        try {
            dict.ifPresent(inf::setDictionary);
            inf.setInput(in, off, in.length - off);
            byte[] out = new byte[(int) declared];
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw integrity(what + " is truncated: its DEFLATE stream ends before " + declared + " bytes");
                }
                n += k;
            }
            if (!inf.finished()) {
                // the declared length is filled: one more byte means the stream inflates beyond it (a bomb)
                if (inf.inflate(new byte[1]) > 0 || !inf.finished()) {
                    throw integrity(what + " inflates beyond its declared " + declared + " bytes");
                }
            }
            if (n != out.length) {
                throw integrity(what + " inflates to " + n + " bytes, it declares " + declared);
            }
            if (inf.getRemaining() != 0) {
                throw integrity(what + " has " + inf.getRemaining() + " bytes after its DEFLATE stream");
            }
            clean = true;
            return out;
        } catch (DataFormatException e) {
            throw integrity(what + " is not valid DEFLATE data");
        } finally {
            Zlib.release(inf, clean);
        }
    }

    private static VmConfigException integrity(String message) {
        return new VmConfigException(VmConfigException.Kind.INTEGRITY, message);
    }
}
