package io.vmconfig.cli;

import io.vmconfig.core.repo.Progress;
import java.io.PrintWriter;

/** Progress of long runs on stderr, about every 5 %, so stdout stays machine-readable. */
final class ProgressPrinter implements Progress {
    private static final long QUIET_BELOW = 200;
    private final PrintWriter err;
    private long lastShown = -1;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void update(String phase, long done, long total) {
        if (total < QUIET_BELOW) {
            return;
        }
        long step = Math.max(1, total / 20);
        if (done == total || done / step != lastShown / step) {
            err.printf("%s: %d/%d%n", phase, done, total);
            err.flush();
            lastShown = done;
        }
    }
}
