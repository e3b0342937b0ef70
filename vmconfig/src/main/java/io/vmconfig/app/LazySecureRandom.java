package io.vmconfig.app;

import java.security.SecureRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A {@link SecureRandom} made on first use. Making one costs the plugin about 14 ms before its handshake line (the
 * security providers are looked up and instantiated by reflection, interpreted), and most plugin processes Velero
 * starts (plugin listing, restores, operation polls) never draw a random number. Every draw comes from the one
 * SecureRandom: bytes from its {@code nextBytes}, everything else derived from its {@code nextLong}.
 */
final class LazySecureRandom implements RandomGenerator {
    private final Supplier<SecureRandom> make;
    private volatile SecureRandom random;

    LazySecureRandom() {
        this(SecureRandom::new);
    }

    LazySecureRandom(Supplier<SecureRandom> make) {
        this.make = make;
    }

    private SecureRandom random() {
        SecureRandom r = random;
        if (r == null) {
            synchronized (this) {
                r = random;
                if (r == null) {
                    r = make.get();
                    random = r;
                }
            }
        }
        return r;
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
