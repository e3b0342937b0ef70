package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import java.util.Optional;

/**
 * Harvester's {@code harvesterhci.io/volumeClaimTemplates} annotation: a JSON array of PVC templates stored as a
 * string (kubevirt-harvester.md §2.2). Parsed into a tree so rewriting never corrupts the string.
 */
public final class VolumeClaimTemplates {
    public static final String ANNOTATION = "harvesterhci.io/volumeClaimTemplates";
    public static final String IMAGE_ID = "harvesterhci.io/imageId";

    private VolumeClaimTemplates() {}

    /** The parsed entries, if the VM has the annotation. {@code what} names the VM in errors. */
    public static Optional<ArrayNode> read(JsonNode vm, String what) {
        Optional<String> raw = Json.textAt(vm, "metadata", "annotations", ANNOTATION);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(raw.get(), what + ": annotation " + ANNOTATION);
        } catch (VmConfigException e) {
            throw VmConfigException.invalid(e.getMessage());
        }
        if (!parsed.isArray()) {
            throw VmConfigException.invalid(what + ": annotation " + ANNOTATION + " must be a JSON array");
        }
        for (int i = 0; i < parsed.size(); i++) {
            JsonNode e = parsed.get(i);
            if (!e.isObject()
                    || !Json.textAt(e, "metadata", "name")
                            .filter(s -> !s.isEmpty())
                            .isPresent()) {
                throw VmConfigException.invalid(
                        what + ": annotation " + ANNOTATION + " entry " + i + " has no metadata.name");
            }
        }
        return Optional.of((ArrayNode) parsed);
    }

    /** The entry for {@code claimName}, if any. */
    public static Optional<ObjectNode> entry(ArrayNode entries, String claimName) {
        for (JsonNode e : entries) {
            if (claimName.equals(e.path("metadata").path("name").asText())) {
                return Optional.of((ObjectNode) e);
            }
        }
        return Optional.empty();
    }

    /** Writes {@code entries} back as the annotation of {@code vm} (which the caller owns). */
    public static void write(ObjectNode vm, ArrayNode entries) {
        Json.ensureObject(vm, "metadata", "annotations").put(ANNOTATION, Json.compact(entries));
    }
}
