package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.vm.VmRef;
import java.time.Instant;

/**
 * One VM written by a run that is not sealed yet (repository-format.md §11): its bundle is stored, its entry waits
 * under {@code staging/<run>/vms/} for the sealer, which gives it a revision. {@code stagedAt} is when the writer
 * read the parent it deduplicated against, which starts the run's {@code maxRunSeconds} clock.
 */
public record StagedVm(
        VmRef key,
        String uid,
        long generation,
        BundleId bundle,
        Digest sha256,
        long size,
        boolean encrypted,
        boolean compressed,
        Instant stagedAt,
        java.util.Optional<Digest> base,
        int member) {

    /** A staged VM whose bundle is no delta. */
    public StagedVm(
            VmRef key,
            String uid,
            long generation,
            BundleId bundle,
            Digest sha256,
            long size,
            boolean encrypted,
            boolean compressed,
            Instant stagedAt) {
        this(
                key,
                uid,
                generation,
                bundle,
                sha256,
                size,
                encrypted,
                compressed,
                stagedAt,
                java.util.Optional.empty(),
                Entry.NOT_PACKED);
    }

    /** A staged VM whose bundle is stored under its id (format version 2). */
    public StagedVm(
            VmRef key,
            String uid,
            long generation,
            BundleId bundle,
            Digest sha256,
            long size,
            boolean encrypted,
            Instant stagedAt) {
        this(key, uid, generation, bundle, sha256, size, encrypted, false, stagedAt);
    }

    /** Where its bundle is stored: under its sha256 when compressed (format version 3, §5.3), else its id. */
    public String objectName() {
        return ObjectNames.BUNDLES + (compressed ? sha256.hex() : bundle.hex());
    }

    byte[] toBytes() {
        ObjectNode o = CanonicalJson.object();
        o.put("format", 1);
        o.put("namespace", key.namespace());
        o.put("name", key.name());
        o.put("uid", uid);
        o.put("generation", generation);
        o.put("bundle", bundle.hex());
        o.put("sha256", sha256.hex());
        o.put("size", size);
        o.put("encrypted", encrypted);
        if (compressed) {
            o.put("compressed", true);
        }
        o.put("stagedAt", stagedAt.toString());
        base.ifPresent(b -> o.put("base", b.hex())); // a reused delta entry of the parent (§5.4)
        if (member != Entry.NOT_PACKED) {
            o.put("member", member); // a reused entry of the parent that is a pack's member (§5.5)
        }
        return CanonicalJson.bytes(o);
    }

    private static int member(JsonNode o, String what) {
        if (!o.has("member")) {
            return Entry.NOT_PACKED;
        }
        long m = CanonicalJson.integer(o, "member", what);
        if (m < 0 || m > Integer.MAX_VALUE || !o.hasNonNull("base")) {
            throw new io.vmconfig.core.VmConfigException(
                    io.vmconfig.core.VmConfigException.Kind.INTEGRITY,
                    what + " names a pack member without a delta base, or an index out of range");
        }
        return (int) m;
    }

    static StagedVm parse(byte[] data, String what) {
        JsonNode o = CanonicalJson.parseObject(data, what);
        try {
            return new StagedVm(
                    new VmRef(CanonicalJson.text(o, "namespace", what), CanonicalJson.text(o, "name", what)),
                    CanonicalJson.text(o, "uid", what),
                    CanonicalJson.integer(o, "generation", what),
                    BundleId.of(CanonicalJson.text(o, "bundle", what)),
                    new Digest(CanonicalJson.text(o, "sha256", what)),
                    CanonicalJson.integer(o, "size", what),
                    o.path("encrypted").asBoolean(false),
                    o.path("compressed").asBoolean(false),
                    Instant.parse(CanonicalJson.text(o, "stagedAt", what)),
                    o.hasNonNull("base")
                            ? java.util.Optional.of(new Digest(o.get("base").asText()))
                            : java.util.Optional.empty(),
                    member(o, what));
        } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
            throw new io.vmconfig.core.VmConfigException(
                    io.vmconfig.core.VmConfigException.Kind.INTEGRITY, what + " is malformed: " + e.getMessage());
        }
    }
}
