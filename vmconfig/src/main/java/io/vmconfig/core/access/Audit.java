package io.vmconfig.core.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import java.time.Instant;
import java.util.Optional;

/**
 * Who asked for a write and when, carried by every object vmconfig writes to a cluster: {@value #APPLIED_BY} (the user
 * the API server authenticated, from SelfSubjectReview) and {@value #APPLIED_AT}. The set and the revision an object
 * came from are its trace annotations ({@code vmconfig.io/set}, {@code vmconfig.io/revision}), already on everything
 * a restore or sync writes. Added in one place: the cluster adapter stamps each create and update.
 */
public record Audit(String user, Instant at) {
    public static final String APPLIED_BY = "vmconfig.io/applied-by";
    public static final String APPLIED_AT = "vmconfig.io/applied-at";

    /**
     * Who asked, when a controller writes for a request object rather than for itself: the object's kind and
     * {@code namespace/name} (e.g. {@code ConfigRestore team-a/restore-web}), so that RBAC on that object, not the
     * controller's service account, is what the trail names.
     */
    public static String requestedBy(String kind, String namespace, String name) {
        return kind + " " + namespace + "/" + name;
    }

    /** A copy of {@code object} with the two annotations (the input is not changed). */
    public ObjectNode stamp(ObjectNode object) {
        ObjectNode out = object.deepCopy();
        Json.ensureObject(out, "metadata", "annotations").put(APPLIED_BY, user).put(APPLIED_AT, at.toString());
        return out;
    }

    /** The audit an object carries, if any. */
    public static Optional<Audit> of(ObjectNode object) {
        Optional<String> by = Json.textAt(object, "metadata", "annotations", APPLIED_BY);
        Optional<String> at = Json.textAt(object, "metadata", "annotations", APPLIED_AT);
        if (by.isEmpty() || at.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Audit(by.get(), Instant.parse(at.get())));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
