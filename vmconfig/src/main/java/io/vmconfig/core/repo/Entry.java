package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.vm.VmRef;
import java.time.Instant;
import java.util.Optional;

/**
 * One VM in a set: which bundle holds its revision (repository-format.md §6). {@code bundle} names the content
 * (SHA-256 of the plaintext, or its keyed hash when encrypted); {@code sha256} and {@code size} describe the stored
 * bytes. A {@code compressed} entry (format version 3, §5.3) is stored under {@code bundles/<sha256>}, any other
 * under {@code bundles/<bundle>}.
 */
public record Entry(
        VmRef key,
        String uid,
        long generation,
        long revision,
        Instant capturedAt,
        BundleId bundle,
        Digest sha256,
        long size,
        boolean encrypted,
        boolean compressed,
        Optional<Digest> base,
        int member) {

    /** Not a member of a pack: the entry's object is its own (every entry of versions 1 to 3). */
    public static final int NOT_PACKED = -1;

    /** An entry without a delta base (every entry of versions 1 to 3). */
    public Entry(
            VmRef key,
            String uid,
            long generation,
            long revision,
            Instant capturedAt,
            BundleId bundle,
            Digest sha256,
            long size,
            boolean encrypted,
            boolean compressed) {
        this(
                key,
                uid,
                generation,
                revision,
                capturedAt,
                bundle,
                sha256,
                size,
                encrypted,
                compressed,
                Optional.empty(),
                NOT_PACKED);
    }

    /** An entry of format version 1 or 2: the object is named by {@code bundle}. */
    public Entry(
            VmRef key,
            String uid,
            long generation,
            long revision,
            Instant capturedAt,
            BundleId bundle,
            Digest sha256,
            long size,
            boolean encrypted) {
        this(key, uid, generation, revision, capturedAt, bundle, sha256, size, encrypted, false);
    }

    /**
     * True when the bundle is member {@link #member} of a pack (version 4, §5.5): {@code sha256} and {@code size} are
     * then the pack's, and {@code base} names the member's delta base.
     */
    public boolean packed() {
        return member != NOT_PACKED;
    }

    /**
     * The key frame a delta of the next revision is taken against (§5.4), and what an overlay entry that inherits
     * its base names (§6.3): this entry's base when it is a delta, else its own object.
     */
    public Digest keyFrame() {
        return base.orElse(sha256);
    }

    /** This entry with the delta base {@code b}. */
    Entry withBase(Digest b) {
        return new Entry(
                key,
                uid,
                generation,
                revision,
                capturedAt,
                bundle,
                sha256,
                size,
                encrypted,
                compressed,
                Optional.of(b),
                member);
    }

    /** This entry as member {@code m} of the pack stored under {@code pack} with {@code packSize} bytes (§5.5). */
    Entry inPack(Digest pack, long packSize, int m) {
        return new Entry(
                key, uid, generation, revision, capturedAt, bundle, pack, packSize, encrypted, compressed, base, m);
    }

    public String objectName() {
        return ObjectNames.BUNDLES + (compressed ? sha256.hex() : bundle.hex());
    }

    /**
     * Every object a reader of this entry reads: its own, and for a delta (version 4, §5.4) its base, which prune
     * must keep as long as this entry is named.
     */
    public java.util.List<String> objectNames() {
        return base.map(b -> java.util.List.of(objectName(), ObjectNames.BUNDLES + b.hex()))
                .orElseGet(() -> java.util.List.of(objectName()));
    }

    /** Where this entry stands against {@code applied}, by (uid, generation, capturedAt) (§8). */
    public RevisionOrder against(Entry applied) {
        return RevisionOrder.compare(this, applied);
    }

    ObjectNode toJson() {
        ObjectNode o = CanonicalJson.object();
        o.put("namespace", key.namespace());
        o.put("name", key.name());
        o.put("uid", uid);
        o.put("generation", generation);
        o.put("revision", revision);
        o.put("capturedAt", capturedAt.toString());
        o.put("bundle", bundle.hex());
        if (encrypted) {
            o.put("encrypted", true);
        }
        if (compressed) {
            o.put("compressed", true);
        }
        if (encrypted || compressed) {
            o.put("sha256", sha256.hex()); // of the stored bytes; a plain uncompressed bundle's sha256 is its id
        }
        o.put("size", size);
        return o;
    }

    static Entry fromJson(JsonNode o, String what) {
        boolean encrypted = o.path("encrypted").asBoolean(false);
        boolean compressed = o.path("compressed").asBoolean(false);
        BundleId bundle = BundleId.of(CanonicalJson.text(o, "bundle", what));
        return new Entry(
                new VmRef(CanonicalJson.text(o, "namespace", what), CanonicalJson.text(o, "name", what)),
                CanonicalJson.text(o, "uid", what),
                CanonicalJson.integer(o, "generation", what),
                CanonicalJson.integer(o, "revision", what),
                Instant.parse(CanonicalJson.text(o, "capturedAt", what)),
                bundle,
                encrypted || compressed ? new Digest(CanonicalJson.text(o, "sha256", what)) : bundle.digest(),
                CanonicalJson.integer(o, "size", what),
                encrypted,
                compressed);
    }
}
