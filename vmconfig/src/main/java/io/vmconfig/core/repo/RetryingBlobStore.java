package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Retries TRANSIENT failures with exponential backoff; other failures pass through at once. */
public final class RetryingBlobStore implements BlobStore {
    /** Waits between attempts; injected so tests do not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d);
    }

    public static final Sleeper REAL_SLEEP = d -> {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmConfigException(VmConfigException.Kind.TRANSIENT, "interrupted while waiting to retry");
        }
    };

    private final BlobStore inner;
    private final int attempts;
    private final Duration firstDelay;
    private final Sleeper sleeper;

    public RetryingBlobStore(BlobStore inner, int attempts, Duration firstDelay, Sleeper sleeper) {
        this.inner = inner;
        this.attempts = Math.max(1, attempts);
        this.firstDelay = firstDelay;
        this.sleeper = sleeper;
    }

    private <T> T retry(Supplier<T> call) {
        Duration delay = firstDelay;
        for (int i = 1; ; i++) {
            try {
                return call.get();
            } catch (VmConfigException e) {
                if (e.kind() != VmConfigException.Kind.TRANSIENT || i >= attempts) {
                    throw e;
                }
                sleeper.sleep(delay);
                delay = delay.multipliedBy(2);
            }
        }
    }

    @Override
    public void put(String name, byte[] data) {
        retry(() -> {
            inner.put(name, data);
            return null;
        });
    }

    @Override
    public Optional<byte[]> get(String name) {
        return retry(() -> inner.get(name));
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        return retry(() -> inner.head(name));
    }

    @Override
    public List<String> list(String prefix) {
        return retry(() -> inner.list(prefix));
    }

    @Override
    public void delete(String name) {
        retry(() -> {
            inner.delete(name);
            return null;
        });
    }

    @Override
    public void sync(java.util.Collection<String> names) {
        retry(() -> {
            inner.sync(names);
            return null;
        });
    }
}
