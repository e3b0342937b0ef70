package io.vmconfig.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() {
        return new FolderBlobStore(dir.resolve("repo"));
    }

    @Test
    void leftoverTemporaryFilesOfACrashedWriteAreNeverListed() throws Exception {
        store.put("bundles/a", new byte[] {1});
        Files.write(dir.resolve("repo/bundles/.tmp-123"), new byte[] {1, 2});
        assertThat(store.list("bundles/")).containsExactly("bundles/a");
    }

    @Test
    void namesThatEscapeTheFolderAreRefused() {
        assertThatThrownBy(() -> store.put("../x", new byte[0])).isInstanceOf(VmConfigException.class);
        assertThatThrownBy(() -> store.get("/etc/passwd")).isInstanceOf(VmConfigException.class);
        assertThatThrownBy(() -> store.sync(java.util.List.of("../x"))).isInstanceOf(VmConfigException.class);
    }

    /** The plugin's staging store: the same contract, durability left to {@code sync}. */
    @org.junit.jupiter.api.Nested
    class DeferredDurability extends BlobStoreContract {
        @TempDir
        Path dir;

        @Override
        protected BlobStore newStore() {
            return new FolderBlobStore(dir.resolve("repo"), FolderBlobStore.Durability.AT_SYNC);
        }
    }
}
