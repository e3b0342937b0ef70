package io.vmconfig.service.failback;

import io.vmconfig.core.repo.BlobStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A repository's store with every write held back: reads see the real store with the held writes over it, so a
 * backup can be written and planned from exactly as it will be, and {@link #commit()} then writes the held objects
 * in the order they were written (bundles and sub-manifests first, the signed set last, as the writer ordered them).
 * Failback plans production on the set before any of it is stored, so that a refusal (a running production VM) or
 * {@code --dry-run} leaves the repository as it was.
 */
final class StagedStore implements BlobStore {
    private record Held(byte[] data, java.time.Instant at) {}

    private final BlobStore real;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentSkipListMap<>();
    private final List<String> order = new ArrayList<>();

    StagedStore(BlobStore real, Clock clock) {
        this.real = real;
        this.clock = clock;
    }

    @Override
    public void put(String name, byte[] data) {
        synchronized (order) {
            order.remove(name);
            order.add(name);
            held.put(name, new Held(data.clone(), clock.instant()));
        }
    }

    @Override
    public Optional<byte[]> get(String name) {
        Held h = held.get(name);
        return h != null ? Optional.of(h.data().clone()) : real.get(name);
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        Held h = held.get(name);
        return h != null ? Optional.of(new BlobInfo(h.data().length, h.at())) : real.head(name);
    }

    @Override
    public List<String> list(String prefix) {
        TreeSet<String> names = new TreeSet<>(real.list(prefix));
        held.keySet().stream().filter(n -> n.startsWith(prefix)).forEach(names::add);
        return List.copyOf(names);
    }

    /** A backup never deletes; anything else must not be staged silently. */
    @Override
    public void delete(String name) {
        throw new io.vmconfig.core.VmConfigException(
                io.vmconfig.core.VmConfigException.Kind.INTERNAL,
                "a staged failback backup deletes nothing (" + name + ")");
    }

    /** Held objects become durable when {@link #commit()} writes them; the others are the real store's to sync. */
    @Override
    public void sync(java.util.Collection<String> names) {
        real.sync(names.stream().filter(n -> !held.containsKey(n)).toList());
    }

    /** How many objects are held. */
    int held() {
        return held.size();
    }

    /** Writes the held objects into the real store, in their order; returns how many. */
    int commit() {
        List<String> names;
        synchronized (order) {
            names = List.copyOf(order);
        }
        for (String n : names) {
            real.put(n, held.get(n).data());
        }
        return names.size();
    }
}
