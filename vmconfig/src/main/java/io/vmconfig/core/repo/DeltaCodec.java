package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The instructions of a version 4 delta frame (repository-format.md §5.4): a target is rebuilt from its base by
 * {@code COPY} (a range of the base) and {@code INSERT} (literal bytes), each opened by an unsigned LEB128 value
 * {@code length << 1 | op} ({@code op} 1: copy, followed by the LEB128 offset in the base; 0: insert, followed by
 * {@code length} bytes). Two revisions of a VM differ in a few values, so a delta is a handful of copies and short
 * inserts: a few dozen bytes where DEFLATE against the base as a preset dictionary spends 3 to 4 bytes per 258
 * bytes it copies.
 *
 * <p>Decoding is bounded: the target is exactly the declared length (at most 64 MiB, checked before anything is
 * allocated), every copy lies inside the base, and an instruction that runs past the data or the target is an
 * INTEGRITY error naming the object.
 */
final class DeltaCodec {
    private static final int BLOCK = 8;

    private DeltaCodec() {}

    /** The instructions that rebuild {@code target} from {@code base}. */
    static byte[] encode(byte[] base, byte[] target) {
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i + BLOCK <= base.length; i++) {
            index.putIfAbsent(key(base, i), i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int literalFrom = 0;
        int i = 0;
        while (i + BLOCK <= target.length) {
            Integer at = index.get(key(target, i));
            if (at == null || !Arrays.equals(base, at, at + BLOCK, target, i, i + BLOCK)) {
                i++;
                continue;
            }
            int start = at;
            int from = i;
            while (from > literalFrom && start > 0 && base[start - 1] == target[from - 1]) {
                start--;
                from--;
            }
            int end = i + BLOCK;
            int baseEnd = at + BLOCK;
            while (end < target.length && baseEnd < base.length && base[baseEnd] == target[end]) {
                end++;
                baseEnd++;
            }
            insert(out, target, literalFrom, from);
            varint(out, ((long) (end - from) << 1) | 1);
            varint(out, start);
            literalFrom = end;
            i = end;
        }
        insert(out, target, literalFrom, target.length);
        return out.toByteArray();
    }

    /** Rebuilds a target of exactly {@code declared} bytes from {@code base} and {@code in[off..]}. */
    static byte[] decode(byte[] base, byte[] in, int off, long declared, String what) {
        if (declared > BundleCompression.MAX_PLAIN) {
            throw integrity(what + " declares " + declared + " bytes of plaintext, more than the 64 MiB a reader"
                    + " inflates");
        }
        byte[] out = new byte[(int) declared];
        int n = 0;
        int[] at = {off};
        while (at[0] < in.length) {
            long op = readVarint(in, at, what);
            long len = op >>> 1;
            if (len > out.length - n) {
                throw integrity(what + " is a delta that builds more than its declared " + declared + " bytes");
            }
            if ((op & 1) == 1) {
                long from = readVarint(in, at, what);
                if (from + len > base.length) {
                    throw integrity(what + " is a delta that copies beyond its base");
                }
                System.arraycopy(base, (int) from, out, n, (int) len);
            } else {
                if (len > in.length - at[0]) {
                    throw integrity(what + " is a truncated delta");
                }
                System.arraycopy(in, at[0], out, n, (int) len);
                at[0] += (int) len;
            }
            n += (int) len;
        }
        if (n != out.length) {
            throw integrity(what + " is a delta that builds " + n + " bytes, it declares " + declared);
        }
        return out;
    }

    private static void insert(ByteArrayOutputStream out, byte[] target, int from, int to) {
        if (to > from) {
            varint(out, (long) (to - from) << 1);
            out.write(target, from, to - from);
        }
    }

    private static long key(byte[] b, int i) {
        long k = 0;
        for (int j = 0; j < BLOCK; j++) {
            k = (k << 8) | (b[i + j] & 0xff);
        }
        return k;
    }

    static void varint(ByteArrayOutputStream out, long v) {
        long x = v;
        while ((x & ~0x7fL) != 0) {
            out.write((int) ((x & 0x7f) | 0x80));
            x >>>= 7;
        }
        out.write((int) x);
    }

    /** An unsigned LEB128 value of at most 5 bytes (35 bits); INTEGRITY when short or longer. */
    static long readVarint(byte[] in, int[] at, String what) {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (at[0] >= in.length) {
                throw integrity(what + " is truncated (a length runs past its end)");
            }
            int b = in[at[0]++] & 0xff;
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw integrity(what + " has a malformed length");
    }

    private static VmConfigException integrity(String message) {
        return new VmConfigException(VmConfigException.Kind.INTEGRITY, message);
    }
}
