package io.vmconfig.testing;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injects faults: the Nth request fails before reaching the store, or the Nth put fails mid-upload (the store
 * receives a truncated body, which an atomic store must not make visible, so nothing is stored). Counts requests.
 */
public final class FaultyBlobStore implements BlobStore {
    private final BlobStore inner;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger puts = new AtomicInteger();
    private volatile int failRequest = -1;
    private volatile int failPutMidUpload = -1;

    public FaultyBlobStore(BlobStore inner) {
        this.inner = inner;
    }

    /** The {@code n}th request from now (1-based) fails as TRANSIENT. */
    public void failRequest(int n) {
        failRequest = requests.get() + n;
    }

    /** The {@code n}th put from now (1-based) breaks mid-upload. */
    public void failPutMidUpload(int n) {
        failPutMidUpload = puts.get() + n;
    }

    public void heal() {
        failRequest = -1;
        failPutMidUpload = -1;
    }

    private void request(String op, String name) {
        if (requests.incrementAndGet() == failRequest) {
            throw new VmConfigException(VmConfigException.Kind.TRANSIENT, "injected fault: " + op + " " + name);
        }
    }

    @Override
    public void put(String name, byte[] data) {
        request("PUT", name);
        if (puts.incrementAndGet() == failPutMidUpload) {
            throw new VmConfigException(
                    VmConfigException.Kind.TRANSIENT,
                    "injected fault: connection reset after " + data.length / 2 + " of " + data.length + " bytes of "
                            + name);
        }
        inner.put(name, data);
    }

    @Override
    public Optional<byte[]> get(String name) {
        request("GET", name);
        return inner.get(name);
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        request("HEAD", name);
        return inner.head(name);
    }

    @Override
    public List<String> list(String prefix) {
        request("LIST", prefix);
        return inner.list(prefix);
    }

    @Override
    public void delete(String name) {
        request("DELETE", name);
        inner.delete(name);
    }

    @Override
    public void sync(java.util.Collection<String> names) {
        request("SYNC", String.join(",", names));
        inner.sync(names);
    }
}
