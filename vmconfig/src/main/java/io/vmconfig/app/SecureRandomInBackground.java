package io.vmconfig.app;

import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A {@link SecureRandom} made on a thread of its own while the caller goes on. Making one costs the plugin about
 * 14 ms of interpreted work (the security providers are looked up and instantiated by reflection); made on main, that
 * was on the path to the handshake line, made on first draw, its classes would miss the plugin's AOT cache (which
 * holds what loads before the handshake) and take Metaspace in every process that stages. A draw waits for the
 * making; every draw comes from the one SecureRandom: bytes from its {@code nextBytes}, everything else derived from
 * its {@code nextLong}.
 */
final class SecureRandomInBackground implements RandomGenerator {
    private final FutureTask<SecureRandom> making;

    SecureRandomInBackground() {
        this(SecureRandom::new);
    }

    SecureRandomInBackground(Supplier<SecureRandom> make) {
        making = new FutureTask<>(make::get);
        Thread t = new Thread(making, "secure-random-init");
        t.setDaemon(true);
        t.start();
    }

    private SecureRandom random() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return making.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("making the SecureRandom failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public long nextLong() {
        return random().nextLong();
    }

    @Override
    public void nextBytes(byte[] bytes) {
        random().nextBytes(bytes);
    }
}
