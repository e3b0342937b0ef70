package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.vm.VmRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Canonical JSON, ids, fanout, revision order and the JSON diff (repository-format.md §3, §6, §8). */
class FormatPiecesTest {
    @Test
    void canonicalJsonSortsKeysAtEveryLevelAndRefusesDuplicates() {
        ObjectNode a = CanonicalJson.object();
        a.put("b", 1).putObject("a").put("z", "ü").put("y", true);
        assertThat(new String(CanonicalJson.bytes(a), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":{\"y\":true,\"z\":\"ü\"},\"b\":1}");
        assertThatThrownBy(() -> CanonicalJson.parseObject("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8), "x"))
                .hasMessageContaining("not valid JSON");
    }

    /**
     * Canonical bytes written straight from the tree (scalars by the generator) are the bytes Jackson's mapper gives
     * for a copy of the tree with sorted keys: seeded random trees with every scalar node type a document can hold.
     */
    @Test
    void canonicalBytesAreTheMappersBytesOfASortedCopy() throws Exception {
        long seed = Long.getLong("canonical.seed", 20261205L);
        SplittableRandom random = new SplittableRandom(seed);
        ObjectMapper mapper = new ObjectMapper();
        for (int round = 0; round < 300; round++) {
            JsonNode tree = io.vmconfig.core.json.RandomTrees.tree(random, 0, false);
            assertThat(CanonicalJson.bytes(tree))
                    .as("seed %d round %d", seed, round)
                    .isEqualTo(mapper.writeValueAsBytes(sortedCopy(tree)));
        }
    }

    private static JsonNode sortedCopy(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            names.forEach(n -> copy.set(n, sortedCopy(o.get(n))));
            return copy;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            a.forEach(e -> copy.add(sortedCopy(e)));
            return copy;
        }
        return node;
    }

    @Test
    void setIdsSortByTimeAndAlwaysMoveForward() {
        Random r = new Random(3);
        Instant t = Instant.parse("2026-11-26T17:00:00.123Z");
        SetId a = SetId.next(t, r);
        assertThat(a.value()).matches("20261126t170000123z-[0-9a-f]{8}");
        assertThat(a.time()).isEqualTo(t);
        SetId b = SetId.after(Optional.of(a), t, r);
        assertThat(b).isGreaterThan(a);
        SetId c = SetId.after(Optional.of(b), t.minusSeconds(60), r); // a clock that went back
        assertThat(c).isGreaterThan(b);
        assertThat(SetId.fromObjectName("sets/" + a.value() + ".json")).isEqualTo(a);
        assertThat(SetId.fromObjectName("sets/evil.json")).isNull();
    }

    @Test
    void fanoutIsNearQuarterOfTheVmCountAndSticky() {
        assertThat(Fanout.choose(0, 1)).isEqualTo(1);
        assertThat(Fanout.choose(0, 10_000)).isEqualTo(2048);
        assertThat(Fanout.choose(2048, 9_000)).isEqualTo(2048);
        assertThat(Fanout.choose(0, 1_000_000)).isEqualTo(Fanout.MAX);
        assertThat(Fanout.choose(1, 100)).isEqualTo(32);
        for (int n = 1; n < 5000; n += 97) {
            int f = Fanout.choose(0, n);
            assertThat(Integer.bitCount(f)).isEqualTo(1);
            assertThat(Buckets.of(new VmRef("ns", "vm" + n), f)).isBetween(0, f - 1);
        }
    }

    @Test
    void revisionsOrderByUidGenerationAndCaptureTime() {
        Instant t = Instant.parse("2026-11-26T17:00:00Z");
        Entry base = entry("u1", 5, t, 'a');
        assertThat(entry("u1", 6, t.minusSeconds(9), 'b').against(base)).isEqualTo(RevisionOrder.NEWER);
        assertThat(entry("u1", 4, t.plusSeconds(9), 'b').against(base)).isEqualTo(RevisionOrder.OLDER);
        assertThat(entry("u1", 5, t, 'a').against(base)).isEqualTo(RevisionOrder.SAME);
        assertThat(entry("u2", 1, t.plusSeconds(1), 'b').against(base)).isEqualTo(RevisionOrder.NEWER);
        assertThat(entry("u2", 9, t.minusSeconds(1), 'b').against(base)).isEqualTo(RevisionOrder.OLDER);
    }

    @Test
    void theOneRevisionOrderSaysWhy() {
        Instant t = Instant.parse("2026-11-26T17:00:00Z");
        Entry base = entry("u1", 5, t, 'a');
        assertThat(RevisionOrder.decide(entry("u1", 5, t.plusSeconds(60), 'a'), base))
                .isEqualTo(new RevisionOrder.Verdict(RevisionOrder.SAME, RevisionOrder.Reason.SAME_REVISION));
        assertThat(RevisionOrder.decide(entry("u1", 6, t.minusSeconds(9), 'b'), base)
                        .reason())
                .isEqualTo(RevisionOrder.Reason.HIGHER_GENERATION);
        assertThat(RevisionOrder.decide(entry("u1", 4, t.plusSeconds(9), 'b'), base))
                .isEqualTo(new RevisionOrder.Verdict(RevisionOrder.OLDER, RevisionOrder.Reason.LOWER_GENERATION));
        assertThat(RevisionOrder.decide(entry("u1", 5, t.plusSeconds(1), 'b'), base)
                        .reason())
                .isEqualTo(RevisionOrder.Reason.LATER_CAPTURE);
        assertThat(RevisionOrder.decide(entry("u2", 9, t.minusSeconds(1), 'b'), base))
                .isEqualTo(new RevisionOrder.Verdict(RevisionOrder.OLDER, RevisionOrder.Reason.EARLIER_CAPTURE));
        assertThat(RevisionOrder.decide(entry("u1", 5, t, 'b'), base))
                .isEqualTo(new RevisionOrder.Verdict(RevisionOrder.SAME, RevisionOrder.Reason.SAME_CAPTURE));
    }

    /**
     * The writer asks the same function as the readers: a VM whose generation went down is kept at its recorded
     * revision (LOWER_GENERATION), and so is one a staged run captured before the set it would follow.
     */
    @Test
    void theWriterRefusesWhatTheReadersWouldCallOlder() {
        RepoFixture f = RepoFixture.inMemory();
        f.backup(java.util.List.of(RepoFixture.vm("a", "web", 3, "new")));
        f.clock.advance(java.time.Duration.ofMinutes(1));
        BackupResult stale = f.backup(java.util.List.of(RepoFixture.vm("a", "web", 2, "old")));
        assertThat(stale.refusedOlder()).containsExactly(new VmRef("a", "web"));
        Entry kept = f.reader().load(stale.setId()).entry(new VmRef("a", "web")).orElseThrow();
        assertThat(kept.generation()).isEqualTo(3);
    }

    private static Entry entry(String uid, long gen, Instant t, char h) {
        BundleId id = BundleId.of(String.valueOf(h).repeat(64));
        return new Entry(new VmRef("ns", "vm"), uid, gen, 1, t, id, id.digest(), 10, false);
    }

    @Test
    void jsonDiffListsAddedRemovedAndChangedPaths() {
        ObjectNode a = CanonicalJson.object();
        a.putObject("spec")
                .put("cores", 2)
                .put("gone", "x")
                .putArray("disks")
                .add("a")
                .add("b");
        ObjectNode b = a.deepCopy();
        ((ObjectNode) b.get("spec")).put("cores", 4).remove("gone");
        ((ObjectNode) b.get("spec")).put("new/field", true).withArray("disks").remove(1);
        assertThat(JsonDiff.diff(a, b))
                .extracting(Object::toString)
                .containsExactly(
                        "~ /spec/cores: 2 -> 4",
                        "- /spec/disks/1: \"b\"",
                        "- /spec/gone: \"x\"",
                        "+ /spec/new~1field: true");
    }
}
