package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/** A VM's namespace and name, as the repository keys it. */
public record VmKey(String namespace, String name) implements Comparable<VmKey> {
    private static final Comparator<VmKey> ORDER = Comparator.comparing(VmKey::namespace).thenComparing(VmKey::name);

    public VmKey {
        if (namespace == null || namespace.isBlank() || name == null || name.isBlank()) {
            throw VmConfigException.invalid("a VM needs a namespace and a name");
        }
    }

    /** Parses {@code NAMESPACE/NAME}. */
    public static VmKey parse(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
            throw VmConfigException.invalid("expected NAMESPACE/NAME, got '" + s + "'");
        }
        return new VmKey(s.substring(0, slash), s.substring(slash + 1));
    }

    /** The sub-manifest bucket of this VM for a fanout (repository-format.md §6). */
    public int bucket(int fanout) {
        byte[] h = Digest.sha256(toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 8)
                .getBytes(StandardCharsets.US_ASCII);
        long v = Long.parseLong(new String(h, StandardCharsets.US_ASCII), 16);
        return (int) (v % fanout);
    }

    @Override
    public int compareTo(VmKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
