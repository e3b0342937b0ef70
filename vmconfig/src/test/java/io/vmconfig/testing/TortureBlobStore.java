package io.vmconfig.testing;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault-injecting store of the repository torture test. Per {@link #arm}, a put may fail before it reaches the
 * store, be stored while its acknowledgement is lost, or be the put after which the writer "crashes" (every later
 * request of that writer fails); any request may fail as TRANSIENT; a listing hides objects put less than
 * {@code lag} ago on the test clock (eventual listing, bounded as repository-format.md §9 assumes). Every fault is a
 * classified TRANSIENT failure, as the real adapters report them.
 */
public final class TortureBlobStore extends ForwardingBlobStore {
    private final Clock clock;
    private final Map<String, Instant> putAt = new ConcurrentHashMap<>();
    private volatile Random random = new Random(0);
    private volatile double failRate;
    private volatile Duration lag = Duration.ZERO;
    private final AtomicInteger putsLeftBeforeCrash = new AtomicInteger(-1);
    private final java.util.concurrent.atomic.AtomicReference<AtDelete> atDelete =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** What runs once, inside the first delete of a name it matches, after the caller chose to delete it. */
    private record AtDelete(java.util.function.Predicate<String> which, Runnable action) {}

    public TortureBlobStore(BlobStore inner, Clock clock) {
        super(inner);
        this.clock = clock;
    }

    /** Faults for the next operation: each request fails with {@code failRate}; a crash after {@code crashAfterPuts}. */
    public void arm(Random r, double failRate, int crashAfterPuts, Duration lag) {
        this.random = r;
        this.failRate = failRate;
        this.putsLeftBeforeCrash.set(crashAfterPuts);
        this.lag = lag;
    }

    /**
     * Runs {@code action} once, inside the first {@link #delete} of a name {@code which} accepts, before the object is
     * deleted: for prune, exactly between its last look at the object (listing, last-modified re-read) and its delete,
     * the window of repository-format.md §9 that no timing can hit reliably. Not cleared by {@link #disarm}.
     */
    public void atDelete(java.util.function.Predicate<String> which, Runnable action) {
        atDelete.set(new AtDelete(which, action));
    }

    /** No faults, and a settled listing. */
    public void disarm() {
        failRate = 0;
        putsLeftBeforeCrash.set(-1);
        lag = Duration.ZERO;
    }

    private void maybeFail(String op, String name) {
        if (putsLeftBeforeCrash.get() == 0) {
            throw new VmConfigException(VmConfigException.Kind.TRANSIENT, "injected crash: " + op + " " + name);
        }
        if (failRate > 0 && random.nextDouble() < failRate) {
            throw new VmConfigException(VmConfigException.Kind.TRANSIENT, "injected fault: " + op + " " + name);
        }
    }

    @Override
    public void put(String name, byte[] data) {
        maybeFail("PUT", name);
        if (putsLeftBeforeCrash.get() > 0) {
            putsLeftBeforeCrash.decrementAndGet();
        }
        boolean existed = inner.head(name).isPresent();
        inner.put(name, data);
        if (!existed) {
            putAt.put(name, clock.instant()); // a new object is listed late; a replaced one stays listed
        }
        if (failRate > 0 && random.nextDouble() < failRate) {
            throw new VmConfigException(
                    VmConfigException.Kind.TRANSIENT, "injected fault: PUT " + name + " stored, acknowledgement lost");
        }
    }

    @Override
    public Optional<byte[]> get(String name) {
        maybeFail("GET", name);
        return inner.get(name);
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        maybeFail("HEAD", name);
        return inner.head(name);
    }

    @Override
    public List<String> list(String prefix) {
        maybeFail("LIST", prefix);
        Instant visible = clock.instant().minus(lag);
        return inner.list(prefix).stream()
                .filter(n -> !putAt.getOrDefault(n, Instant.MIN).isAfter(visible))
                .toList();
    }

    @Override
    public void delete(String name) {
        maybeFail("DELETE", name);
        AtDelete hook = atDelete.get();
        if (hook != null && hook.which().test(name) && atDelete.compareAndSet(hook, null)) {
            hook.action().run();
        }
        inner.delete(name);
        putAt.remove(name);
    }
}
