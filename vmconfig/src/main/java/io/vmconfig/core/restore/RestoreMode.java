package io.vmconfig.core.restore;

import io.vmconfig.core.VmConfigException;
import java.util.Locale;

/** What the DR copy is for, which decides the machine identity it keeps (kubevirt-harvester.md §1.7, §6 item 7). */
public enum RestoreMode {
    /** Real failover: the same machine comes up on DR, so MACs, firmware UUID and serial are kept. */
    FAILOVER,
    /** A test copy while production runs: MACs cleared, new firmware UUID and serial. */
    COPY;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RestoreMode parse(String text, String where) {
        for (RestoreMode m : values()) {
            if (m.key().equals(text)) {
                return m;
            }
        }
        throw VmConfigException.config(where + ": mode '" + text + "' is not one of failover, copy");
    }
}
