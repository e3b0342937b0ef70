package io.vmconfig.adapters.memory;

import io.vmconfig.core.repo.BlobStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A blob store in memory, with last-modified times from an injected clock: for tests and the drill. */
public final class InMemoryBlobStore implements BlobStore {
    private record Stored(byte[] data, java.time.Instant modified) {}

    private final Map<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final Clock clock;

    public InMemoryBlobStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void put(String name, byte[] data) {
        objects.put(name, new Stored(data.clone(), clock.instant()));
    }

    @Override
    public Optional<byte[]> get(String name) {
        return Optional.ofNullable(objects.get(name)).map(s -> s.data().clone());
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        return Optional.ofNullable(objects.get(name)).map(s -> new BlobInfo(s.data().length, s.modified()));
    }

    @Override
    public List<String> list(String prefix) {
        return objects.keySet().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    @Override
    public void delete(String name) {
        objects.remove(name);
    }

    /** Memory is as durable as the process: nothing to do. */
    @Override
    public void sync(java.util.Collection<String> names) {}
}
