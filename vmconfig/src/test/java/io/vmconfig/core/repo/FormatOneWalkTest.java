package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A whole-set walk of a set written in format 1 (versions 1 and 2: buckets by the low bits of the path's first word,
 * entries by name within a bucket) hands its entries over in path order as a format 3 set's does, so the streamed
 * applied record of a restore to files (which needs path order) works on an old repository too.
 */
class FormatOneWalkTest {
    @Test
    void aFormatOneSetIsWalkedInPathOrderAndItsRestoreRecordIsWritten() {
        RepoFixture f = RepoFixture.inMemory();
        List<VmSnapshot> vms = RepoFixture.fleet(60, "legacy-");
        SetId id = RepoFixture.writeVersion2Set(f.store, f.key, f.signer, vms, f.clock, f.random);
        RepoReader reader = f.reader();
        SetManifest m = reader.manifest(id);
        assertThat(m.tree()).as("the fixture writes a format 1 body").isNull();

        List<Entry> walked = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AppliedRecord record = new AppliedRecord(Optional.empty(), "record", out);
        reader.each(m, new RepoReader.SetWalk() {
            @Override
            public void entry(Entry e) {
                walked.add(e);
                if (record.admit(e, false).admitted()) {
                    record.record(e);
                }
            }

            @Override
            public void problem(Problem p) {
                problems.add(p);
            }
        });
        record.finish();

        assertThat(problems).isEmpty();
        assertThat(walked).hasSize(60);
        assertThat(walked).isSortedAccordingTo(Comparator.comparing(e -> ManifestTree.path(e.key())));
        assertThat(walked).containsExactlyInAnyOrderElementsOf(reader.load(id).entries());
        List<Entry> recorded = new ArrayList<>();
        AppliedRecord.entries(() -> new java.io.ByteArrayInputStream(out.toByteArray()), "record")
                .forEachRemaining(recorded::add);
        assertThat(recorded).containsExactlyElementsOf(walked);
    }
}
