package io.vmconfig.core.repo;

import java.util.regex.Pattern;

/** Object names of the repository layout (repository-format.md §2). */
public final class ObjectNames {
    public static final String ROOT = "vmconfig.json";
    public static final String BUNDLES = "bundles/";
    public static final String MANIFESTS = "manifests/";
    public static final String SETS = "sets/";
    public static final String DICTIONARIES = "dicts/";
    public static final String PENDING = "prune/pending.json";
    private static final Pattern VALID = Pattern.compile("[a-z0-9._/-]+");

    private ObjectNames() {}

    public static String bundle(BundleId id) {
        return BUNDLES + id.hex();
    }

    public static String manifest(Digest sha256) {
        return MANIFESTS + sha256.hex();
    }

    public static String dictionary(Digest sha256) {
        return DICTIONARIES + sha256.hex();
    }

    /**
     * Where a version 4 writer stores a dictionary (§5.4): under the first 16 bytes of its SHA-256, which is what a
     * version 4 frame names. {@code ref} is a full digest or a 16-byte reference padded with zeros.
     */
    public static String dictionaryV4(Digest ref) {
        return DICTIONARIES + ref.hex().substring(0, 32);
    }

    /** True for a 16-byte reference held as a digest (its 32 hex digits followed by 32 zeros). */
    static boolean isShortRef(Digest d) {
        return d.hex().endsWith("0".repeat(32));
    }

    public static String set(SetId id) {
        return SETS + id.value() + ".json";
    }

    /** True when {@code name} uses only the characters the format allows. */
    public static boolean valid(String name) {
        return VALID.matcher(name).matches() && !name.contains("..") && !name.startsWith("/");
    }
}
