package io.vmconfig.core.repo;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The raw-DEFLATE streams of bundle frames and packs, reused: a new {@link Deflater} allocates zlib's ~270 KiB of
 * state in native memory and frees it at {@code end()}, which glibc may serve with a fresh mapping every time (page
 * faults and zeroing: 60-260 µs a bundle in the plugin's runtime, more than the compression itself; benchmarks.md,
 * issue 13, tenth session). A stream is reset before it is kept, and zlib's reset forgets the previous input and
 * dictionary, so a reused stream writes the same bytes as a new one. At most {@link #KEPT} of each are kept; a
 * stream whose use threw is ended, not kept.
 */
final class Zlib {
    static final int KEPT = 4;
    private static final BlockingQueue<Deflater> DEFLATERS = new ArrayBlockingQueue<>(KEPT);
    private static final BlockingQueue<Inflater> INFLATERS = new ArrayBlockingQueue<>(KEPT);

    private Zlib() {}

    /** A raw deflater at the best level, fresh or reset. */
    static Deflater deflater() {
        Deflater d = DEFLATERS.poll();
        return d != null ? d : new Deflater(Deflater.BEST_COMPRESSION, true);
    }

    /** Gives back a deflater from {@link #deflater}: kept reset when there is room and {@code clean}, else ended. */
    static void release(Deflater d, boolean clean) {
        keepOrEnd(d, clean, DEFLATERS, Deflater::reset, Deflater::end);
    }

    /** A raw inflater, fresh or reset. */
    static Inflater inflater() {
        Inflater i = INFLATERS.poll();
        return i != null ? i : new Inflater(true);
    }

    /** Gives back an inflater from {@link #inflater}: kept reset when there is room and {@code clean}, else ended. */
    static void release(Inflater i, boolean clean) {
        keepOrEnd(i, clean, INFLATERS, Inflater::reset, Inflater::end);
    }

    private static <T> void keepOrEnd(
            T stream, boolean clean, BlockingQueue<T> kept, Consumer<T> reset, Consumer<T> end) {
        if (clean) {
            reset.accept(stream);
            if (kept.offer(stream)) {
                return;
            }
        }
        end.accept(stream);
    }
}
