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
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
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
            return Arrays.copyOf(out.array(), out.position());
        } finally {
            d.end();
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
     * Inflates a compressed bundle, reading the dictionary it names through {@code dictionaries}; bounded as the
     * class says. {@code what} names the object in every error.
     */
    public static byte[] decompress(
            byte[] compressed, java.util.function.BiFunction<Digest, Boolean, Dictionary> dictionaries, String what) {
        Optional<Digest> dict = dictionaryOf(compressed, what);
        long declared =
                Integer.toUnsignedLong(ByteBuffer.wrap(compressed, 33, 4).getInt());
        if (declared > MAX_PLAIN) {
            throw integrity(what + " declares " + declared + " bytes of plaintext, more than the 64 MiB a reader"
                    + " inflates");
        }
        Inflater inf = new Inflater(true);
        try {
            boolean sealed = compressed[0] == DEFLATE_SEALED;
            dict.ifPresent(d -> inf.setDictionary(dictionaries.apply(d, sealed).bytes()));
            inf.setInput(compressed, HEADER, compressed.length - HEADER);
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
            return out;
        } catch (DataFormatException e) {
            throw integrity(what + " is not valid DEFLATE data");
        } finally {
            inf.end();
        }
    }

    private static VmConfigException integrity(String message) {
        return new VmConfigException(VmConfigException.Kind.INTEGRITY, message);
    }
}
