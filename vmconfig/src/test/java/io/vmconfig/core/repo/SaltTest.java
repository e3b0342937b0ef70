package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The run's salt (repository-format.md §5.6): what it changes in names, and what it must not change. */
class SaltTest {
    private static final byte[] PLAIN =
            "{\"a\":\"some bundle text, some bundle text\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSaltedFrameReadsAsTheUnsaltedOneAndATruncatedSaltIsRefused() {
        byte[] unsalted = BundleCompression.frame(PLAIN, Optional.empty());
        byte[] salted = BundleCompression.frame(PLAIN, Optional.empty(), Salt.draw(new Random(1)));
        assertThat(salted).hasSize(unsalted.length + Salt.BYTES);
        assertThat(salted[0]).isEqualTo((byte) 0x14);
        assertThat(Salt.strip(salted)).isEqualTo(unsalted);
        assertThat(BundleCompression.decompress(salted, (d, s) -> null, "x")).isEqualTo(PLAIN);
        assertThat(BundleCompression.decompress(unsalted, (d, s) -> null, "x")).isEqualTo(PLAIN);
        assertThatThrownBy(() -> BundleCompression.decompress(new byte[] {0x14, 1, 2}, (d, s) -> null, "bundles/x"))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY))
                .hasMessageContaining("bundles/x");
    }

    @Test
    void aSaltedPackOpensItsSectionsAsTheUnsaltedOne() {
        byte[] member = BundleCompression.delta(PLAIN, Digest.sha256(PLAIN), PLAIN);
        byte[] unsalted = Pack.write(List.of(member), List.of(), Optional.empty());
        byte[] salted = Pack.write(List.of(member), List.of(), Optional.empty(), Salt.draw(new Random(2)));
        assertThat(Pack.isPack(salted)).isTrue();
        assertThat(Pack.members(Pack.section(salted, false, "p"), "p")).containsExactly(member);
        assertThatThrownBy(() -> Pack.section(new byte[] {0x18, 0}, false, "bundles/p"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("bundles/p");
        assertThat(Pack.section(unsalted, false, "p")).isEqualTo(Pack.section(salted, false, "p"));
    }

    /**
     * Content that comes back after its sets were dropped is uploaded under a name of its own, never under the
     * earlier object's; an unchanged backup still uploads nothing but its set, and a fold keeps unchanged nodes.
     */
    @Test
    void twoRunsUploadingEqualContentGiveItTwoNamesWhileDedupAgainstTheParentStays() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> fleet = RepoFixture.fleet(200, "v");
        f.backup(fleet);
        Set<String> first = Set.copyOf(f.store.list(ObjectNames.BUNDLES));
        BackupResult unchanged = f.backup(fleet);
        assertThat(unchanged.bundlesWritten()).isZero();
        assertThat(unchanged.manifestsWritten()).isZero();
        // a fresh history (as after every set was dropped) uploads the same content again: under new names
        f.store.list(ObjectNames.SETS).forEach(f.store::delete);
        f.backup(fleet);
        Set<String> again = f.store.list(ObjectNames.BUNDLES).stream()
                .filter(n -> !first.contains(n))
                .collect(Collectors.toSet());
        assertThat(again).hasSameSizeAs(first);
    }
}
