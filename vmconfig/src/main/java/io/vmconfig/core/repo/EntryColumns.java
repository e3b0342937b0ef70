package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entries as version 4 tree nodes and overlay segments store them (repository-format.md §6.3): one array per field
 * ({@code namespace}, {@code name}, {@code uid}, {@code generation}, {@code revision}, {@code capturedAt},
 * {@code bundle}, {@code sha256}, {@code size}, {@code flags}, {@code base}), entry {@code i} being the {@code i}-th
 * value of each. Values of one field sit side by side, so the compressor sees runs of equal namespaces and capture
 * times instead of repeated keys, and a version 4 content digest takes its 32 hex digits.
 */
final class EntryColumns {
    static final int ENCRYPTED = 1;
    static final int COMPRESSED = 2;
    /** The entry's object is a pack and {@code member} its index in the section its encryption says (§5.5). */
    static final int PACKED = 4;
    /**
     * The {@code base} of an overlay change whose delta base is the key frame of the VM's entry beneath it (§6.3):
     * the tree's entry with the older segments applied. Never in a tree node, where nothing lies beneath.
     */
    static final String INHERITED = "=";

    private static final String[] FIELDS = {
        "namespace",
        "name",
        "uid",
        "generation",
        "revision",
        "capturedAt",
        "bundle",
        "sha256",
        "size",
        "flags",
        "base",
        "member"
    };

    /** Entries as read, with which of them inherit their base from the entry beneath (overlay segments only). */
    record Read(List<Entry> entries, java.util.BitSet inherits) {}

    private EntryColumns() {}

    static ObjectNode write(List<Entry> entries) {
        return write(entries, new java.util.BitSet());
    }

    /** The columns of {@code entries}; those whose index is set in {@code inherits} write their base as "=". */
    static ObjectNode write(List<Entry> entries, java.util.BitSet inherits) {
        ObjectNode o = CanonicalJson.object();
        ArrayNode[] c = new ArrayNode[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            c[i] = o.putArray(FIELDS[i]);
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            c[0].add(e.key().namespace());
            c[1].add(e.key().name());
            c[2].add(e.uid());
            c[3].add(e.generation());
            c[4].add(e.revision());
            c[5].add(e.capturedAt().toString());
            c[6].add(e.bundle().stored());
            c[7].add(e.sha256().hex());
            c[8].add(e.size());
            c[9].add((e.encrypted() ? ENCRYPTED : 0) | (e.compressed() ? COMPRESSED : 0) | (e.packed() ? PACKED : 0));
            c[10].add(inherits.get(i) ? INHERITED : e.base().map(Digest::hex).orElse(""));
            c[11].add(e.packed() ? e.member() : 0);
        }
        return o;
    }

    /** The entries of a tree node; INTEGRITY naming {@code what} when a column is missing, short or malformed. */
    static List<Entry> read(JsonNode o, String what) {
        return read(o, what, false).entries();
    }

    /**
     * The entries of {@code o}, an inheriting one (only where {@code inheritance} allows it) with no base set;
     * INTEGRITY naming {@code what} when a column is missing, short or malformed.
     */
    static Read read(JsonNode o, String what, boolean inheritance) {
        JsonNode[] c = new JsonNode[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            c[i] = o.path(FIELDS[i]);
            if (!c[i].isArray() || c[i].size() != c[0].size()) {
                throw integrity(what + " has a malformed entry column (" + FIELDS[i] + ")");
            }
        }
        List<Entry> out = new ArrayList<>(c[0].size());
        java.util.BitSet inherits = new java.util.BitSet();
        try {
            for (int i = 0; i < c[0].size(); i++) {
                int flags = (int) number(c[9].get(i), what);
                String base = text(c[10].get(i), what);
                Digest sha256 = new Digest(text(c[7].get(i), what));
                boolean inherited = INHERITED.equals(base);
                if (inherited && !inheritance) {
                    throw integrity(what + " is a tree node with an entry that inherits its delta base");
                }
                inherits.set(i, inherited);
                Optional<Digest> b = base.isEmpty() || inherited ? Optional.empty() : Optional.of(new Digest(base));
                if ((b.isPresent() || inherited) && (b.equals(Optional.of(sha256)) || (flags & COMPRESSED) == 0)) {
                    throw integrity(what + " has an entry that is its own delta base, or an uncompressed delta");
                }
                boolean packed = (flags & PACKED) != 0;
                long member = number(c[11].get(i), what);
                if (packed ? (b.isEmpty() && !inherited) || member > Integer.MAX_VALUE : member != 0) {
                    throw integrity(
                            what + " has a packed entry without a delta base, or a member index outside a pack");
                }
                out.add(new Entry(
                        new VmRef(text(c[0].get(i), what), text(c[1].get(i), what)),
                        text(c[2].get(i), what),
                        number(c[3].get(i), what),
                        number(c[4].get(i), what),
                        Instant.parse(text(c[5].get(i), what)),
                        bundleId(text(c[6].get(i), what), what),
                        sha256,
                        number(c[8].get(i), what),
                        (flags & ENCRYPTED) != 0,
                        (flags & COMPRESSED) != 0,
                        b,
                        packed ? (int) member : Entry.NOT_PACKED));
            }
        } catch (java.time.DateTimeException | IllegalArgumentException e) {
            throw integrity(what + " has a malformed entry");
        }
        return new Read(out, inherits);
    }

    /** The VMs of a removal list {@code {"namespace":[…],"name":[…]}}. */
    static ObjectNode writeKeys(List<VmRef> keys) {
        ObjectNode o = CanonicalJson.object();
        ArrayNode ns = o.putArray("namespace");
        ArrayNode names = o.putArray("name");
        keys.forEach(k -> {
            ns.add(k.namespace());
            names.add(k.name());
        });
        return o;
    }

    static List<VmRef> readKeys(JsonNode o, String what) {
        JsonNode ns = o.path("namespace");
        JsonNode names = o.path("name");
        if (!ns.isArray() || !names.isArray() || ns.size() != names.size()) {
            throw integrity(what + " has a malformed removal list");
        }
        List<VmRef> out = new ArrayList<>();
        for (int i = 0; i < ns.size(); i++) {
            out.add(new VmRef(text(ns.get(i), what), text(names.get(i), what)));
        }
        return out;
    }

    private static BundleId bundleId(String hex, String what) {
        if (hex.length() != 32 && hex.length() != 64) {
            throw integrity(what + " has a malformed bundle id");
        }
        return BundleId.of(hex);
    }

    private static String text(JsonNode n, String what) {
        if (!n.isTextual()) {
            throw integrity(what + " has a malformed entry");
        }
        return n.asText();
    }

    private static long number(JsonNode n, String what) {
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            throw integrity(what + " has a malformed entry");
        }
        return n.asLong();
    }

    private static VmConfigException integrity(String message) {
        return new VmConfigException(VmConfigException.Kind.INTEGRITY, message);
    }
}
