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
 *
 * <p>The commit is atomic against other writers of the same repository in the way repository-format.md §9 allows
 * without conditional writes or locks: (1) the held set must become visible within the repository's
 * {@code maxRunSeconds} of when this store was made (before the backup read its parent), as every writer's set must,
 * or prune's safety argument would not cover the objects it reuses from its parent; (2) no other set may have
 * appeared under {@code sets/} since then — the held set was planned on the parent it read and its id was made greater
 * than the latest then, so a set another writer stored meanwhile would make it stale (its VMs planned from an older
 * parent, its id not the latest). Both are checked before the first object is put, and the sets are listed again right
 * before the held set manifest, its last put: a refusal stores at most objects no set names (prune collects them), never
 * the set. Run the failback again: it stages on top of the other writer's set.
 */
final class StagedStore implements BlobStore {
    private record Held(byte[] data, java.time.Instant at) {}

    private final BlobStore real;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentSkipListMap<>();
    private final List<String> order = new ArrayList<>();
    private final java.time.Instant started;
    private final java.time.Duration maxRun;
    private final java.util.Set<String> setsSeen;

    /** {@code maxRun}: the repository's maxRunSeconds (its root object). Made before the backup reads anything. */
    StagedStore(BlobStore real, Clock clock, java.time.Duration maxRun) {
        this.real = real;
        this.clock = clock;
        this.started = clock.instant();
        this.maxRun = maxRun;
        this.setsSeen = java.util.Set.copyOf(real.list(io.vmconfig.core.repo.ObjectNames.SETS));
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

    /**
     * Writes the held objects into the real store, in their order, set manifests last; returns how many. Refused
     * (TRANSIENT, nothing of the set visible) when the run took longer than maxRunSeconds or another writer stored a set
     * since this store was made (class comment).
     */
    int commit() {
        List<String> names;
        synchronized (order) {
            names = List.copyOf(order);
        }
        check();
        List<String> sets = names.stream()
                .filter(n -> n.startsWith(io.vmconfig.core.repo.ObjectNames.SETS))
                .toList();
        for (String n : names) {
            if (!sets.contains(n)) {
                real.put(n, held.get(n).data());
            }
        }
        check();
        for (String n : sets) {
            real.put(n, held.get(n).data());
        }
        return names.size();
    }

    private void check() {
        java.time.Duration took = java.time.Duration.between(started, clock.instant());
        if (took.compareTo(maxRun) >= 0) {
            throw new io.vmconfig.core.VmConfigException(
                    io.vmconfig.core.VmConfigException.Kind.TRANSIENT,
                    "store the failback set: " + took.toSeconds() + "s passed since the failback repository was read,"
                            + " not less than its maxRunSeconds (" + maxRun.toSeconds() + "s); the set was not stored"
                            + " and nothing was applied: run the same command again");
        }
        List<String> others = real.list(io.vmconfig.core.repo.ObjectNames.SETS).stream()
                .filter(n -> !setsSeen.contains(n) && !held.containsKey(n))
                .sorted()
                .toList();
        if (!others.isEmpty()) {
            throw new io.vmconfig.core.VmConfigException(
                    io.vmconfig.core.VmConfigException.Kind.TRANSIENT,
                    "store the failback set: another writer stored " + String.join(", ", others)
                            + " on the failback repository since this run read it; the set was not stored and nothing"
                            + " was applied: run the same command again (it builds on that set)");
        }
    }
}
