package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A SHA-256 (or keyed SHA-256) value, as 64 lower-case hex digits. */
public record Digest(String hex) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, "not a sha256 hex value: " + hex);
        }
    }

    public static Digest sha256(byte[] data) {
        try {
            return new Digest(HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static boolean isHex64(String s) {
        return s != null && HEX64.matcher(s).matches();
    }

    @Override
    public String toString() {
        return hex;
    }
}
