package io.vmconfig.adapters.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreContract;
import io.vmconfig.testing.LaggingListBlobStore;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class LaggingListBlobStoreContractTest extends BlobStoreContract {
    private LaggingListBlobStore lagging;

    @Override
    protected BlobStore newStore() {
        lagging = new LaggingListBlobStore(new InMemoryBlobStore(Clock.systemUTC()));
        return lagging;
    }

    @Override
    protected void settle() {
        lagging.settle();
    }

    @Test
    void theListingLagsButReadsDoNot() {
        store.put("sets/a.json", new byte[] {1});
        assertThat(store.list("sets/")).isEmpty();
        assertThat(store.get("sets/a.json")).isPresent();
        lagging.settle();
        assertThat(store.list("sets/")).containsExactly("sets/a.json");
    }
}
