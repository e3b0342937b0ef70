package io.vmconfig.testing;

import io.vmconfig.core.repo.BlobStore;
import java.util.function.Consumer;

/** Runs a hook before each put, so a test can make something happen in the middle of a run. */
public final class InterceptingBlobStore extends ForwardingBlobStore {
    private final Consumer<String> beforePut;

    public InterceptingBlobStore(BlobStore inner, Consumer<String> beforePut) {
        super(inner);
        this.beforePut = beforePut;
    }

    @Override
    public void put(String name, byte[] data) {
        beforePut.accept(name);
        inner.put(name, data);
    }
}
