package io.vmconfig.core.repo;

/**
 * A bundle's content id (repository-format.md §5): SHA-256 of its plaintext, or a keyed hash for encrypted bundles
 * (versions 1-3), or, from version 4, a 16-byte keyed content digest (§5.4). A 16-byte digest is held as 64 hex
 * digits, its 32 followed by 32 zeros, so that every place that shows or compares ids (tables, the DR annotation
 * {@code vmconfig.io/bundle}) keeps one shape; it is stored with its 32 digits only.
 */
public record BundleId(Digest digest) {
    private static final String SHORT_PAD = "0".repeat(32);

    public static BundleId of(String hex) {
        return new BundleId(new Digest(hex.length() == 32 ? hex + SHORT_PAD : hex));
    }

    /** A version 4 content digest of 16 bytes (§5.4). */
    static BundleId shortDigest(byte[] sixteen) {
        return of(java.util.HexFormat.of().formatHex(sixteen, 0, 16));
    }

    /** True for a version 4 16-byte content digest (a full SHA-256 ends in 128 zero bits with chance 2^-128). */
    public boolean isShort() {
        return digest.hex().endsWith(SHORT_PAD);
    }

    /** The id as stored in a version 4 node: 32 hex digits for a short digest, else 64. */
    String stored() {
        return isShort() ? digest.hex().substring(0, 32) : digest.hex();
    }

    public String hex() {
        return digest.hex();
    }

    /** The first 12 hex digits, as shown in tables. */
    public String shortForm() {
        return digest.hex().substring(0, 12);
    }

    @Override
    public String toString() {
        return digest.hex();
    }
}
