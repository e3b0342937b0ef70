package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.vm.VmRef;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The revision of each VM a reader applied last, so it never applies an older one unless asked
 * (repository-format.md §8). Stored by the caller (restore keeps it beside its output).
 */
public final class AppliedRevisions implements RepoRestoreInput.Admit {
    private final Map<VmRef, Entry> applied = new TreeMap<>();

    /** The decision for one incoming entry. */
    public record Admission(boolean admitted, RevisionOrder order, Optional<Entry> previous) {}

    @Override
    public Admission admit(Entry incoming, boolean allowOlder) {
        return admit(incoming, applied.get(incoming.key()), allowOlder);
    }

    /** The decision for {@code incoming} against the entry applied before ({@code prev}, null: none). */
    static Admission admit(Entry incoming, Entry prev, boolean allowOlder) {
        if (prev == null) {
            return new Admission(true, RevisionOrder.NEWER, Optional.empty());
        }
        RevisionOrder o = incoming.against(prev);
        return new Admission(o != RevisionOrder.OLDER || allowOlder, o, Optional.of(prev));
    }

    public void record(Entry e) {
        applied.put(e.key(), e);
    }

    public byte[] toBytes() {
        ObjectNode o = CanonicalJson.object();
        o.put("format", 1);
        var a = o.putArray("applied");
        applied.values().forEach(e -> a.add(e.toJson()));
        return CanonicalJson.bytes(o);
    }

    public static AppliedRevisions parse(byte[] data, String origin) {
        AppliedRevisions r = new AppliedRevisions();
        for (JsonNode e : CanonicalJson.parseObject(data, origin).path("applied")) {
            r.record(Entry.fromJson(e, origin));
        }
        return r;
    }
}
