package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A preset DEFLATE dictionary stored under {@code dicts/<sha256>} (repository-format.md §5.3): up to 32 KiB (the
 * DEFLATE window) of bundle text that the VMs of a fleet share, so a bundle compresses to what makes it different.
 * Trained only from bundles stored in plain text: a dictionary never holds Secret data.
 */
public record Dictionary(Digest digest, byte[] bytes, boolean sealed) {
    /** The DEFLATE window: a dictionary longer than this is never read back. */
    public static final int MAX = 32 * 1024;
    /** Fewer bundles than this in a run: no dictionary (too little to learn from). */
    static final int MIN_SAMPLES = 8;

    private static final int CANDIDATES = 256;

    public Dictionary {
        if (bytes.length > MAX) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, "a dictionary has at most " + MAX + " bytes");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A dictionary stored as it is: trained from plain bundles only. */
    public static Dictionary of(byte[] bytes) {
        return new Dictionary(Digest.sha256(bytes), bytes, false);
    }

    /**
     * A dictionary trained from Secret-holding bundles, stored encrypted under the repository key (§5.3): its name
     * is the hash of what is stored, and only bundles that are themselves encrypted use it.
     */
    static Dictionary sealed(byte[] bytes, byte[] stored) {
        return new Dictionary(Digest.sha256(stored), bytes, true);
    }

    /** Parses {@code dicts/<digest>}: its stored bytes must hash to its name; a sealed one is opened with the key. */
    static Dictionary parse(
            Digest name, byte[] stored, boolean sealed, java.util.function.Supplier<RepositoryKey> key) {
        boolean shortRef = ObjectNames.isShortRef(name);
        String what = shortRef ? ObjectNames.dictionaryV4(name) : ObjectNames.dictionary(name);
        Digest actual = Digest.sha256(stored);
        if (shortRef ? !actual.hex().startsWith(name.hex().substring(0, 32)) : !actual.equals(name)) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " does not match its hash");
        }
        byte[] bytes = sealed ? key.get().openDictionary(stored, what) : stored;
        if (bytes.length > MAX) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is longer than " + MAX + " bytes");
        }
        return new Dictionary(actual, bytes, sealed);
    }

    /**
     * Trains a dictionary from plain bundle texts: up to {@value #CANDIDATES} of them, spread evenly over the run,
     * are taken in turn, and one is appended only when it still compresses to more than a quarter of its size with
     * what was taken before (it brings something new). The last taken sit nearest the data, where DEFLATE's
     * distances are cheapest. Empty when there are fewer than {@value #MIN_SAMPLES} samples.
     */
    public static Optional<byte[]> train(List<byte[]> plainBundles) {
        if (plainBundles.size() < MIN_SAMPLES) {
            return Optional.empty();
        }
        List<byte[]> candidates = new ArrayList<>();
        int step = Math.max(1, plainBundles.size() / CANDIDATES);
        for (int i = 0; i < plainBundles.size() && candidates.size() < CANDIDATES; i += step) {
            candidates.add(plainBundles.get(i));
        }
        ByteArrayOutputStream dict = new ByteArrayOutputStream();
        for (byte[] c : candidates) {
            if (dict.size() >= MAX) {
                break;
            }
            Optional<Dictionary> sofar =
                    dict.size() == 0 ? Optional.empty() : Optional.of(of(tail(dict.toByteArray())));
            if (BundleCompression.compress(c, sofar).length * 4 > c.length) {
                dict.writeBytes(c);
            }
        }
        return dict.size() == 0 ? Optional.empty() : Optional.of(tail(dict.toByteArray()));
    }

    private static byte[] tail(byte[] b) {
        return b.length <= MAX ? b : java.util.Arrays.copyOfRange(b, b.length - MAX, b.length);
    }
}
