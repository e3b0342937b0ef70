package io.vmconfig.core.repo;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.zip.Deflater;

/** Raw DEFLATE at the best level with a new deflater, ended after it: what bundle frames did before {@link Zlib}. */
public final class FreshDeflater {
    private FreshDeflater() {}

    public static byte[] deflate(byte[] plain, Optional<byte[]> dictionary) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            dictionary.ifPresent(d::setDictionary);
            d.setInput(plain);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }
}
