package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the {@link BlobStore} port (repository-format.md §1), run against every implementation.
 * A store whose listing may lag overrides {@link #settle()} so listing assertions see the settled state.
 */
public abstract class BlobStoreContract {
    protected BlobStore store;

    protected abstract BlobStore newStore() throws Exception;

    /** Lets a lagging listing catch up; nothing for stores that list at once. */
    protected void settle() {}

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putThenGetReturnsTheSameBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        store.put("bundles/abc", all);
        assertThat(store.get("bundles/abc"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(all));
    }

    @Test
    void emptyObjectsAreObjects() {
        store.put("x/empty", new byte[0]);
        assertThat(store.get("x/empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(store.head("x/empty"))
                .hasValueSatisfying(i -> assertThat(i.size()).isZero());
    }

    @Test
    void syncKeepsWhatWasPutAndSkipsAnAbsentName() {
        store.put("bundles/a", bytes("a"));
        store.put("sets/b.json", bytes("b"));
        store.sync(java.util.List.of("bundles/a", "sets/b.json", "bundles/none"));
        store.sync(java.util.List.of());
        assertThat(store.get("bundles/a")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("a")));
        assertThat(store.get("sets/b.json"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("b")));
        assertThat(store.get("bundles/none")).isEmpty();
    }

    @Test
    void missingObjectsAreEmptyNotErrors() {
        assertThat(store.get("bundles/none")).isEmpty();
        assertThat(store.head("bundles/none")).isEmpty();
        store.delete("bundles/none");
    }

    @Test
    void putReplacesAndHeadTellsSizeAndAFreshTime() {
        Instant before = Instant.now().minus(Duration.ofMinutes(5));
        store.put("sets/a.json", bytes("one"));
        store.put("sets/a.json", bytes("second"));
        assertThat(store.get("sets/a.json"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("second")));
        assertThat(store.head("sets/a.json")).hasValueSatisfying(i -> {
            assertThat(i.size()).isEqualTo(6);
            assertThat(i.lastModified()).isAfter(before);
        });
    }

    @Test
    void listReturnsSortedNamesUnderThePrefixOnly() {
        store.put("manifests/b", bytes("b"));
        store.put("manifests/a", bytes("a"));
        store.put("bundles/aa/c", bytes("c"));
        store.put("manifestsx", bytes("x"));
        settle();
        assertThat(store.list("manifests/")).containsExactly("manifests/a", "manifests/b");
        assertThat(store.list("bundles/")).containsExactly("bundles/aa/c");
        assertThat(store.list("sets/")).isEmpty();
    }

    @Test
    void deleteRemovesAndIsIdempotent() {
        store.put("bundles/d", bytes("d"));
        store.delete("bundles/d");
        store.delete("bundles/d");
        settle();
        assertThat(store.get("bundles/d")).isEmpty();
        assertThat(store.list("bundles/")).isEmpty();
    }

    @Test
    void objectsOfAFewHundredKilobytesRoundTrip() {
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        store.put("bundles/big", big);
        assertThat(store.get("bundles/big"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
    }

    /**
     * Re-putting identical bytes is harmless and refreshes last-modified (repository-format.md §9 relies on it: a
     * writer that uploads an object an earlier run left unreferenced makes it young again for prune).
     */
    @Test
    void putOfIdenticalBytesKeepsThemAndRefreshesLastModified() {
        store.put("bundles/same", bytes("same"));
        Instant first = store.head("bundles/same").orElseThrow().lastModified();
        store.put("bundles/same", bytes("same"));
        assertThat(store.get("bundles/same"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("same")));
        assertThat(store.head("bundles/same").orElseThrow().lastModified()).isAfterOrEqualTo(first);
        settle();
        assertThat(store.list("bundles/")).containsExactly("bundles/same");
    }
}
