package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The applied-revisions record merged with a set's walk (repository-format.md §8): the same decisions as
 * {@link AppliedRevisions}, every VM of the previous record kept, the new record in path order, one entry at a time.
 */
class AppliedRecordTest {
    private static Entry entry(String name, long generation, String content) {
        return new Entry(
                new VmRef("ns", name),
                "uid-" + name,
                generation,
                generation,
                Instant.parse("2026-12-04T10:00:00Z").plusSeconds(generation),
                new BundleId(Digest.sha256(content.getBytes(StandardCharsets.UTF_8))),
                Digest.sha256((content + "stored").getBytes(StandardCharsets.UTF_8)),
                100,
                false,
                true);
    }

    private static List<Entry> inPathOrder(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(e -> ManifestTree.path(e.key())));
        return sorted;
    }

    private static byte[] record(byte[] previous, List<Entry> set, List<Entry> applied, boolean allowOlder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AppliedRecord r = new AppliedRecord(
                Optional.ofNullable(previous).map(p -> () -> new ByteArrayInputStream(p)), "record", out);
        for (Entry e : inPathOrder(set)) {
            if (r.admit(e, allowOlder).admitted() && applied.contains(e)) {
                r.record(e);
            }
        }
        r.finish();
        return out.toByteArray();
    }

    private static List<Entry> read(byte[] record) {
        List<Entry> entries = new ArrayList<>();
        AppliedRecord.entries(() -> new ByteArrayInputStream(record), "record").forEachRemaining(entries::add);
        return entries;
    }

    @Test
    void aFirstRecordHoldsWhatWasAppliedInPathOrderAndParsesAsBefore() {
        List<Entry> set = IntStream.range(0, 50)
                .mapToObj(i -> entry("vm-" + i, 1, "a" + i))
                .toList();
        List<Entry> applied = set.subList(0, 40);
        byte[] record = record(null, set, applied, false);
        assertThat(read(record)).containsExactlyElementsOf(inPathOrder(applied));
        // the same canonical JSON as AppliedRevisions wrote, in another order
        AppliedRevisions parsed = AppliedRevisions.parse(record, "record");
        assertThat(parsed.admit(entry("vm-3", 1, "a3"), false).order()).isEqualTo(RevisionOrder.SAME);
        assertThat(CanonicalJson.parseObject(record, "record").path("format").asInt())
                .isEqualTo(1);
    }

    @Test
    void theMergeKeepsVmsTheSetDoesNotHoldAndRefusesOlderRevisionsKeepingTheirApplied() {
        List<Entry> before = IntStream.range(0, 30)
                .mapToObj(i -> entry("vm-" + i, 2, "b" + i))
                .toList();
        byte[] previous = record(null, before, before, false);
        // the set: vm-0..9 newer, vm-10..14 older, vm-40..44 new; vm-15..29 only in the previous record
        List<Entry> set = new ArrayList<>();
        IntStream.range(0, 10).forEach(i -> set.add(entry("vm-" + i, 3, "c" + i)));
        IntStream.range(10, 15).forEach(i -> set.add(entry("vm-" + i, 1, "old" + i)));
        IntStream.range(40, 45).forEach(i -> set.add(entry("vm-" + i, 1, "n" + i)));
        List<Entry> decided = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AppliedRecord r = new AppliedRecord(Optional.of(() -> new ByteArrayInputStream(previous)), "record", out);
        AppliedRevisions whole = AppliedRevisions.parse(previous, "record");
        for (Entry e : inPathOrder(set)) {
            AppliedRevisions.Admission a = r.admit(e, false);
            assertThat(a).isEqualTo(whole.admit(e, false)); // the one decision, both ways
            if (a.admitted()) {
                r.record(e);
                decided.add(e);
            }
        }
        r.finish();
        List<Entry> expected = new ArrayList<>(decided);
        before.stream()
                .filter(b -> decided.stream().noneMatch(d -> d.key().equals(b.key())))
                .forEach(expected::add);
        assertThat(decided).hasSize(15);
        assertThat(read(out.toByteArray())).containsExactlyElementsOf(inPathOrder(expected));
    }

    @Test
    void aRecordWrittenInVmOrderIsSortedOnceAndRewrittenInPathOrder() {
        List<Entry> before = IntStream.range(0, 40)
                .mapToObj(i -> entry("vm-" + i, 1, "b" + i))
                .toList();
        AppliedRevisions old = new AppliedRevisions();
        before.forEach(old::record);
        byte[] inVmOrder = old.toBytes();
        assertThat(read(inVmOrder)).isNotEqualTo(inPathOrder(before)); // what the earlier writer left
        byte[] record = record(inVmOrder, List.of(entry("vm-7", 2, "new")), List.of(entry("vm-7", 2, "new")), false);
        List<Entry> expected = new ArrayList<>(before);
        expected.set(7, entry("vm-7", 2, "new"));
        assertThat(read(record)).containsExactlyElementsOf(inPathOrder(expected));
    }

    @Test
    void vmsOutOfPathOrderAndMalformedRecordsAreRefused() {
        List<Entry> two = inPathOrder(List.of(entry("a", 1, "a"), entry("b", 1, "b")));
        AppliedRecord r = new AppliedRecord(Optional.empty(), "record", new ByteArrayOutputStream());
        r.admit(two.get(1), false);
        assertThatThrownBy(() -> r.admit(two.get(0), false))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTERNAL));
        byte[] junk = "{\"applied\":[{\"namespace\":1}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(
                        () -> new AppliedRecord(Optional.of(() -> new ByteArrayInputStream(junk)), "the record", null))
                .isInstanceOfSatisfying(VmConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
                    assertThat(e.getMessage()).contains("the record");
                });
    }
}
