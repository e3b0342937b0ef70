package io.vmconfig.service.failback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.memory.InMemoryBlobStore;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BackupResult;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.CanonicalJson;
import io.vmconfig.core.repo.ObjectNames;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoInit;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoWriter;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.RootObject;
import io.vmconfig.core.repo.SigningKeys;
import io.vmconfig.core.repo.Trust;
import io.vmconfig.core.repo.VmSnapshot;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.testing.MutableClock;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Failback's held-back set against a second writer of the failback repository: the held set is stored only when no
 * other set appeared since it was staged and within maxRunSeconds (repository-format.md §9); otherwise nothing of it
 * becomes visible and the other writer's set is intact.
 */
class StagedStoreTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    final Random random = new Random(7);
    final KeyPair signer = SigningKeys.generate(new SecureRandom());
    final RepositoryKey key = RepositoryKey.of(RepositoryKey.generate(random));
    final BlobStore store = new InMemoryBlobStore(clock);
    final RootObject root = RepoInit.init(store, List.of(signer.getPublic()), key, clock, random);

    static VmSnapshot vm(String name, long generation, String payload) {
        ObjectNode vm = CanonicalJson.object();
        vm.put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        vm.putObject("metadata")
                .put("namespace", "prod-apps")
                .put("name", name)
                .putObject("annotations")
                .put(io.vmconfig.core.vm.Annotations.SOURCE_UID, "uid-" + name)
                .put(io.vmconfig.core.vm.Annotations.SOURCE_GENERATION, Long.toString(generation));
        vm.putObject("spec").put("runStrategy", "Halted").put("payload", payload);
        return new VmSnapshot(new VmRef("prod-apps", name), "uid-" + name, generation, vm, List.of());
    }

    BackupResult write(BlobStore on, String vm, String payload) {
        return new RepoWriter(on, signer.getPrivate(), signer.getPublic(), Optional.of(key), clock, random, "test")
                .backup(List.of(vm(vm, 2, payload)), "dr", "failback", Progress.NONE);
    }

    StagedStore staged() {
        return new StagedStore(store, clock, Duration.ofSeconds(root.maxRunSeconds()));
    }

    List<String> sets() {
        return store.list(ObjectNames.SETS);
    }

    RepoReader reader() {
        return new RepoReader(store, Trust.keys(List.of(signer.getPublic())), Optional.of(key));
    }

    @Test
    void twoFailbacksStagedAtOnceStoreOneSetAndTheOtherIsRefusedWithNothingOfItVisible() {
        write(store, "app-03", "before"); // the parent both read
        StagedStore first = staged();
        StagedStore second = staged();
        BackupResult a = write(first, "app-03", "from-first");
        clock.advance(Duration.ofMillis(5));
        BackupResult b = write(second, "web-01", "from-second");
        List<String> before = sets();

        second.commit();
        assertThat(sets()).hasSize(before.size() + 1).contains(ObjectNames.set(b.setId()));
        List<String> objects = store.list("");
        assertThatThrownBy(first::commit)
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("another writer stored " + ObjectNames.set(b.setId()))
                .extracting(e -> ((VmConfigException) e).kind())
                .isEqualTo(VmConfigException.Kind.TRANSIENT);
        assertThat(store.list("")).as("the refused set wrote nothing").isEqualTo(objects);
        assertThat(sets()).doesNotContain(ObjectNames.set(a.setId()));
        assertThat(reader().latest()).contains(b.setId());

        // run again: staged on top of the other writer's set, it is stored and is the latest
        StagedStore again = staged();
        BackupResult c = write(again, "app-03", "from-first");
        again.commit();
        assertThat(reader().latest()).contains(c.setId());
        assertThat(reader().resolve("latest")).isEqualTo(c.setId());
    }

    @Test
    void aPlainBackupStoredWhileAFailbackIsStagedRefusesTheFailbackSet() {
        StagedStore failback = staged();
        write(failback, "app-03", "held");
        BackupResult other = write(store, "db-02", "direct"); // a second writer straight into the repository
        assertThatThrownBy(failback::commit).hasMessageContaining(ObjectNames.set(other.setId()));
        assertThat(sets()).containsExactly(ObjectNames.set(other.setId()));
    }

    @Test
    void aHeldSetOlderThanMaxRunSecondsIsNotStored() {
        StagedStore failback = staged();
        write(failback, "app-03", "held");
        clock.advance(Duration.ofSeconds(root.maxRunSeconds()));
        List<String> objects = store.list("");
        assertThatThrownBy(failback::commit).hasMessageContaining("maxRunSeconds");
        assertThat(store.list("")).isEqualTo(objects);
        assertThat(sets()).isEmpty();
    }
}
