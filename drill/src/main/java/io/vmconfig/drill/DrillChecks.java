package io.vmconfig.drill;

import java.io.PrintWriter;

/** Counts and prints the expectations the drill checks. */
final class DrillChecks {
    private final PrintWriter out;
    private int passed;
    private int failed;

    DrillChecks(PrintWriter out) {
        this.out = out;
    }

    int passed() {
        return passed;
    }

    int failures() {
        return failed;
    }

    boolean check(boolean ok, String what) {
        if (ok) {
            passed++;
            out.println("   ok    " + what);
        } else {
            failed++;
            out.println("   FAIL  " + what);
        }
        out.flush();
        return ok;
    }
}
