package io.vmconfig.testing;

import io.vmconfig.core.repo.BlobStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Runs a hook before each put, so a test can make something happen in the middle of a run. */
public final class InterceptingBlobStore implements BlobStore {
    private final BlobStore inner;
    private final Consumer<String> beforePut;

    public InterceptingBlobStore(BlobStore inner, Consumer<String> beforePut) {
        this.inner = inner;
        this.beforePut = beforePut;
    }

    @Override
    public void put(String name, byte[] data) {
        beforePut.accept(name);
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
}
