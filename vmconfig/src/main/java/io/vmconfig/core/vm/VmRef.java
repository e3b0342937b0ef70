package io.vmconfig.core.vm;

import io.vmconfig.core.VmConfigException;
import java.util.Comparator;
import java.util.Objects;

/** Identity of a VM in one cluster: namespace and name. Printed and parsed as {@code namespace/name}. */
public record VmRef(String namespace, String name) implements Comparable<VmRef> {
    private static final Comparator<VmRef> ORDER =
            Comparator.comparing(VmRef::namespace).thenComparing(VmRef::name);

    public VmRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static VmRef parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw VmConfigException.config("'" + text + "' is not NAMESPACE/NAME");
        }
        return new VmRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(VmRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
