package io.vmconfig.core.repo;

/** A bundle's name: SHA-256 of its bytes, or a keyed hash for encrypted bundles (repository-format.md §5). */
public record BundleId(Digest digest) {
    public static BundleId of(String hex) {
        return new BundleId(new Digest(hex));
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
