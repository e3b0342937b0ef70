package io.vmconfig.cli;

import io.vmconfig.core.VmConfigException;

/** Parses a revision number as given on the command line. */
final class Revisions {
    private Revisions() {}

    static long parse(String s) {
        try {
            long r = Long.parseLong(s.startsWith("r") ? s.substring(1) : s);
            if (r >= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw VmConfigException.config("'" + s + "' is not a revision number (1, 2, …)");
    }
}
