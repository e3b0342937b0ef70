package io.vmconfig.core.repo;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Counts requests and uploaded bytes, for progress, tests and the benchmark. */
public final class MeteredBlobStore implements BlobStore {
    private final BlobStore inner;
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong putBytes = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong other = new AtomicLong();

    public MeteredBlobStore(BlobStore inner) {
        this.inner = inner;
    }

    public long puts() {
        return puts.get();
    }

    public long putBytes() {
        return putBytes.get();
    }

    public long gets() {
        return gets.get();
    }

    public long otherRequests() {
        return other.get();
    }

    public void reset() {
        puts.set(0);
        putBytes.set(0);
        gets.set(0);
        other.set(0);
    }

    @Override
    public void put(String name, byte[] data) {
        inner.put(name, data);
        puts.incrementAndGet();
        putBytes.addAndGet(data.length);
    }

    @Override
    public Optional<byte[]> get(String name) {
        gets.incrementAndGet();
        return inner.get(name);
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        other.incrementAndGet();
        return inner.head(name);
    }

    @Override
    public List<String> list(String prefix) {
        other.incrementAndGet();
        return inner.list(prefix);
    }

    @Override
    public void delete(String name) {
        other.incrementAndGet();
        inner.delete(name);
    }

    /** Not a request to the store (a folder store forces files; S3 does nothing): not counted. */
    @Override
    public void sync(java.util.Collection<String> names) {
        inner.sync(names);
    }
}
