package io.vmconfig.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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

    @Test
    void objectsAreOwnerOnlyAndNoTemporaryFileIsLeftBehind() throws Exception {
        for (int i = 0; i < 50; i++) {
            store.put("staging/run/vms/ns/vm-" + (i % 5), new byte[] {(byte) i});
        }
        Path folder = dir.resolve("repo/staging/run/vms/ns");
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("vm-0", "vm-1", "vm-2", "vm-3", "vm-4");
        }
        assertThat(Files.getPosixFilePermissions(folder.resolve("vm-4")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(store.get("staging/run/vms/ns/vm-4")).hasValue(new byte[] {49});
    }

    @Test
    void aPutIntoAFolderRemovedSinceTheLastPutMakesItAgain() throws Exception {
        store.put("staging/run/vms/ns/a", new byte[] {1});
        store.delete("staging/run/vms/ns/a");
        Files.delete(dir.resolve("repo/staging/run/vms/ns"));
        Files.delete(dir.resolve("repo/staging/run/vms"));
        store.put("staging/run/vms/ns/b", new byte[] {2});
        assertThat(store.get("staging/run/vms/ns/b")).hasValue(new byte[] {2});
        assertThat(store.list("staging/")).containsExactly("staging/run/vms/ns/b");
    }

    @Test
    void aStoreThatPutIntoMoreFoldersThanItRemembersStillPutsIntoEachOfThem() throws Exception {
        int folders = FolderBlobStore.FOLDERS_KEPT + 10;
        for (int i = 0; i < folders; i++) {
            store.put("staging/run/vms/ns-" + i + "/vm", new byte[] {(byte) i});
        }
        Files.delete(dir.resolve("repo/staging/run/vms/ns-0/vm"));
        Files.delete(dir.resolve("repo/staging/run/vms/ns-0"));
        store.put("staging/run/vms/ns-0/vm", new byte[] {7});
        store.put("staging/run/vms/ns-" + (folders - 1) + "/vm", new byte[] {8});
        assertThat(store.get("staging/run/vms/ns-0/vm")).hasValue(new byte[] {7});
        assertThat(store.list("staging/")).hasSize(folders);
    }

    @Test
    void aPutWhoseFolderIsAFileNamesTheObject() throws Exception {
        store.put("bundles/a", new byte[] {1});
        assertThatThrownBy(() -> store.put("bundles/a/b", new byte[] {2}))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("bundles/a/b");
        assertThat(store.list("bundles/")).containsExactly("bundles/a");
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
