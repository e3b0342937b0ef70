package io.vmconfig.testing;

import io.vmconfig.core.repo.BlobStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Passes every call to another store; test stores override what they change. */
public abstract class ForwardingBlobStore implements BlobStore {
    protected final BlobStore inner;

    protected ForwardingBlobStore(BlobStore inner) {
        this.inner = inner;
    }

    @Override
    public void put(String name, byte[] data) {
        inner.put(name, data);
    }

    @Override
    public Optional<byte[]> get(String name) {
        return inner.get(name);
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        return inner.head(name);
    }

    @Override
    public List<String> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public void delete(String name) {
        inner.delete(name);
    }

    @Override
    public void sync(Collection<String> names) {
        inner.sync(names);
    }
}
