package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One VM in a set: which bundle holds its revision (repository-format.md §6). */
public record Entry(VmRef key, String uid, long generation, long revision, Instant capturedAt, BundleId bundle,
                    Digest sha256, long size, boolean encrypted) {

    public String objectName() {
        return ObjectNames.bundle(bundle);
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
            o.put("sha256", sha256.hex()); // of the ciphertext; a plain bundle's sha256 is its id
        }
        o.put("size", size);
        return o;
    }

    static Entry fromJson(JsonNode o, String what) {
        boolean encrypted = o.path("encrypted").asBoolean(false);
        BundleId bundle = BundleId.of(CanonicalJson.text(o, "bundle", what));
        return new Entry(new VmRef(CanonicalJson.text(o, "namespace", what), CanonicalJson.text(o, "name", what)),
                CanonicalJson.text(o, "uid", what), CanonicalJson.integer(o, "generation", what),
                CanonicalJson.integer(o, "revision", what), Instant.parse(CanonicalJson.text(o, "capturedAt", what)),
                bundle, encrypted ? new Digest(CanonicalJson.text(o, "sha256", what)) : bundle.digest(),
                CanonicalJson.integer(o, "size", what), encrypted);
    }
}
