package io.vmconfig.core.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import java.util.List;

/**
 * The side record of one claim a VM uses, as the source knows it: what the DR claim must be compatible with
 * (kubevirt-harvester.md §6 Keep 8). Fields the source does not say are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimRecord(
        String volumeName,
        String claimName,
        ClaimSource source,
        String size,
        String volumeMode,
        List<String> accessModes,
        String storageClass,
        String imageId) {

    /**
     * The record as the {@code vmconfig.io/claims} annotation holds it: the components in declaration order, nulls
     * left out; the same tree as Jackson's record serialisation (ClaimsTest), built without it: vm-backup writes it
     * on every Execute, and the record serialisation would load Jackson's bean introspection into the plugin and call
     * the accessors reflectively.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        putIfSet(o, "volumeName", volumeName);
        putIfSet(o, "claimName", claimName);
        putIfSet(o, "source", source == null ? null : source.name());
        putIfSet(o, "size", size);
        putIfSet(o, "volumeMode", volumeMode);
        if (accessModes != null) {
            ArrayNode modes = o.putArray("accessModes");
            accessModes.forEach(modes::add);
        }
        putIfSet(o, "storageClass", storageClass);
        putIfSet(o, "imageId", imageId);
        return o;
    }

    /** {@code records} as the annotation's list. */
    public static ArrayNode toJson(List<ClaimRecord> records) {
        ArrayNode a = Json.array();
        records.forEach(r -> a.add(r.toJson()));
        return a;
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
