package io.vmconfig.adapters.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreContract;
import io.vmconfig.core.repo.RetryingBlobStore;
import io.vmconfig.testing.FaultyBlobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault-injecting store keeps the contract when no fault is due, and its faults behave as S3's do. */
class FaultyBlobStoreContractTest extends BlobStoreContract {
    private FaultyBlobStore faulty;

    @Override
    protected BlobStore newStore() {
        faulty = new FaultyBlobStore(new InMemoryBlobStore(Clock.systemUTC()));
        return faulty;
    }

    @Test
    void aPutBrokenMidUploadLeavesTheOldObjectOrNone() {
        store.put("sets/a.json", new byte[] {1});
        faulty.failPutMidUpload(1);
        assertThatThrownBy(() -> store.put("sets/a.json", new byte[] {2, 2})).isInstanceOf(VmConfigException.class);
        assertThat(store.get("sets/a.json"))
                .hasValueSatisfying(b -> assertThat(b).containsExactly(1));
        faulty.failPutMidUpload(1);
        assertThatThrownBy(() -> store.put("sets/b.json", new byte[] {2})).isInstanceOf(VmConfigException.class);
        assertThat(store.get("sets/b.json")).isEmpty();
    }

    @Test
    void retriesWithBackoffRideOverATransientFault() {
        List<Duration> sleeps = new ArrayList<>();
        BlobStore retrying = new RetryingBlobStore(faulty, 4, Duration.ofMillis(100), sleeps::add);
        faulty.failRequest(1);
        retrying.put("bundles/x", new byte[] {9});
        faulty.failRequest(1);
        assertThat(retrying.get("bundles/x")).isPresent();
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
    }

    @Test
    void retriesGiveUpAfterTheLastAttemptAndDoNotRetryPermanentFailures() {
        List<Duration> sleeps = new ArrayList<>();
        BlobStore failing = new BlobStore() {
            @Override
            public void put(String name, byte[] data) {
                throw new VmConfigException(VmConfigException.Kind.TRANSIENT, "503");
            }

            @Override
            public java.util.Optional<byte[]> get(String name) {
                throw new VmConfigException(VmConfigException.Kind.IO, "403");
            }

            @Override
            public java.util.Optional<BlobInfo> head(String name) {
                return java.util.Optional.empty();
            }

            @Override
            public List<String> list(String prefix) {
                return List.of();
            }

            @Override
            public void delete(String name) {}

            @Override
            public void sync(java.util.Collection<String> names) {}
        };
        BlobStore retrying = new RetryingBlobStore(failing, 3, Duration.ofMillis(10), sleeps::add);
        assertThatThrownBy(() -> retrying.put("a", new byte[0])).hasMessage("503");
        assertThat(sleeps).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
        sleeps.clear();
        assertThatThrownBy(() -> retrying.get("a")).hasMessage("403");
        assertThat(sleeps).isEmpty();
    }
}
