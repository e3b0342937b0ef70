package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.CanonicalJson;
import io.vmconfig.core.repo.Digest;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VirtualMachines;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Traceability of what sync writes (source cluster, set, revision, bundle, capture time; the original run strategy
 * travels on the VM from the backup) and the desired-state hash that makes "unchanged" exact.
 */
public final class Trace {
    /**
     * What one site says of its own copy and must never travel to the other: a VM activated on DR and backed up
     * from there (failback) must not arrive on production already marked activated, nor with DR's hash or DR's
     * audit stamp (core.access.Audit's keys, named here because core.access depends on this package; the writer
     * stamps its own). The trace itself (source cluster, set, revision, bundle, capture time) is replaced for the
     * new direction.
     */
    static final List<String> SITE_LOCAL = List.of(
            Annotations.ACTIVATED_AT,
            Annotations.DESIRED_HASH,
            Annotations.PREFIX + "applied-by",
            Annotations.PREFIX + "applied-at");

    private Trace() {}

    /** The annotations every object written for {@code e} of set {@code setId} carries. */
    public static Map<String, String> of(String sourceCluster, String setId, Entry e) {
        Map<String, String> t = new TreeMap<>();
        t.put(Annotations.SOURCE_CLUSTER, sourceCluster);
        t.put(Annotations.SET_ID, setId);
        t.put(Annotations.REVISION, Long.toString(e.revision()));
        t.put(Annotations.BUNDLE, e.bundle().hex());
        t.put(Annotations.CAPTURED_AT, e.capturedAt().toString());
        return t;
    }

    /**
     * {@code doc} with the trace annotations and its desired hash: SHA-256 of the canonical object without the set
     * id (a new set of the same bundle changes nothing) and without the hash itself ({@link #hash}).
     */
    public static ObjectNode stamp(ObjectNode doc, Map<String, String> trace) {
        ObjectNode out = doc.deepCopy();
        ObjectNode a = Json.ensureObject(out, "metadata", "annotations");
        a.remove(SITE_LOCAL);
        trace.forEach(a::put);
        a.put(Annotations.DESIRED_HASH, hash(out));
        return out;
    }

    /**
     * A VM's hash covers its revision and bundle, so a VM is written whenever its bundle changed; a dependency's
     * covers only its content, so an unchanged Secret of a changed VM is not written again.
     */
    public static String hash(ObjectNode doc) {
        ObjectNode c = doc.deepCopy();
        ObjectNode a = Json.ensureObject(c, "metadata", "annotations");
        a.remove(Annotations.SET_ID);
        a.remove(Annotations.DESIRED_HASH);
        if (!VirtualMachines.KIND.equals(doc.path("kind").asText())) {
            a.remove(List.of(
                    Annotations.SOURCE_CLUSTER, Annotations.REVISION, Annotations.BUNDLE, Annotations.CAPTURED_AT));
        }
        return Digest.sha256(CanonicalJson.bytes(c)).hex();
    }

    /** Whether {@code current} already carries what {@code desired} would write: the one "unchanged" rule. */
    public static boolean unchanged(ObjectNode current, ObjectNode desired) {
        String want = desiredHash(desired);
        return !want.isEmpty() && want.equals(desiredHash(current));
    }

    public static String desiredHash(ObjectNode doc) {
        return Json.textAt(doc, "metadata", "annotations", Annotations.DESIRED_HASH)
                .orElse("");
    }
}
