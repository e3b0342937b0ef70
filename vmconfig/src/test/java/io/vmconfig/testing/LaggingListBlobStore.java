package io.vmconfig.testing;

import io.vmconfig.core.repo.BlobStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A store whose listing lags writes: names put since the last {@link #settle()} are not listed yet (and deleted
 * ones still are), while get and head see them at once, as S3 behaved before 2020 and some S3-compatibles still do.
 */
public final class LaggingListBlobStore extends ForwardingBlobStore {
    private final Set<String> unlisted = new HashSet<>();
    private final Set<String> stillListed = new HashSet<>();

    public LaggingListBlobStore(BlobStore inner) {
        super(inner);
    }

    /** The listing catches up. */
    public synchronized void settle() {
        unlisted.clear();
        stillListed.clear();
    }

    @Override
    public synchronized void put(String name, byte[] data) {
        boolean existed = inner.head(name).isPresent();
        inner.put(name, data);
        if (!existed) {
            unlisted.add(name);
        }
    }

    @Override
    public synchronized List<String> list(String prefix) {
        List<String> names = new ArrayList<>(inner.list(prefix));
        names.removeAll(unlisted);
        stillListed.stream()
                .filter(n -> n.startsWith(prefix) && !names.contains(n))
                .forEach(names::add);
        names.sort(null);
        return names;
    }

    @Override
    public synchronized void delete(String name) {
        if (inner.head(name).isPresent() && !unlisted.remove(name)) {
            stillListed.add(name);
        }
        inner.delete(name);
    }
}
