package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Manifests are stored gzip-compressed (repository-format.md §3). The JDK writes a fixed header, so equal input
 * gives equal bytes within one JDK; reading is bounded so a hostile object cannot exhaust memory.
 */
public final class Gzip {
    static final int MAX_INFLATED = 64 * 1024 * 1024;

    private Gzip() {}

    public static byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "gzip failed", e);
        }
        return out.toByteArray();
    }

    public static byte[] decompress(byte[] data, String what) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            byte[] out = in.readNBytes(MAX_INFLATED + 1);
            if (out.length > MAX_INFLATED) {
                throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " inflates beyond 64 MiB");
            }
            return out;
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is not valid gzip data");
        }
    }
}
