package io.vmconfig.adapters.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreContract;
import io.vmconfig.testing.MutableClock;
import io.vmconfig.testing.TortureBlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The torture test's fault-injecting double keeps the port's contract when disarmed, and its faults are classified. */
class TortureBlobStoreContractTest extends BlobStoreContract {
    private final MutableClock clock = new MutableClock(Instant.now());
    private TortureBlobStore torture;

    @Override
    protected BlobStore newStore() {
        torture = new TortureBlobStore(new InMemoryBlobStore(clock), clock);
        return torture;
    }

    @Test
    void aCrashStopsEveryRequestAfterTheGivenPutsAndTheListingLagsOnTheTestClock() {
        torture.arm(new Random(1), 0, 1, Duration.ofMinutes(10));
        store.put("sets/a.json", new byte[] {1});
        assertThatThrownBy(() -> store.put("sets/b.json", new byte[] {2}))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.TRANSIENT));
        assertThatThrownBy(() -> store.get("sets/a.json")).isInstanceOf(VmConfigException.class);
        torture.arm(new Random(1), 0, -1, Duration.ofMinutes(10));
        assertThat(store.list("sets/")).isEmpty();
        assertThat(store.get("sets/a.json")).isPresent();
        clock.advance(Duration.ofMinutes(11));
        assertThat(store.list("sets/")).containsExactly("sets/a.json");
    }

    @Test
    void aLostAcknowledgementStoresTheObjectYetReportsATransientFailure() {
        torture.arm(new Random(3), 1.0, -1, Duration.ZERO);
        assertThatThrownBy(() -> store.put("bundles/x", new byte[] {1})).isInstanceOf(VmConfigException.class);
        torture.disarm();
        assertThat(store.get("bundles/x")).isEmpty(); // failRate 1: the request itself failed first
    }
}
