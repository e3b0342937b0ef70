package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the side record of each claim a VM uses from what the VM itself says: Harvester's volumeClaimTemplates
 * entry or the VM's dataVolumeTemplates. A PVC object, where the input has one, fills in the rest.
 */
public final class Claims {
    private Claims() {}

    public static List<ClaimRecord> of(ObjectNode vm) {
        Optional<ArrayNode> vct = VolumeClaimTemplates.read(vm, "VirtualMachine " + VirtualMachines.ref(vm));
        List<ClaimRecord> out = new ArrayList<>();
        for (ClaimUse use : Volumes.claimUses(vm)) {
            Optional<ObjectNode> harvester = vct.flatMap(a -> VolumeClaimTemplates.entry(a, use.claimName()));
            Optional<ObjectNode> dvSpec =
                    dataVolumeTemplate(vm, use.claimName()).flatMap(t -> Json.objectAt(t, "spec"));
            JsonNode pvcSpec = harvester
                    .map(h -> h.path("spec"))
                    .or(() -> dvSpec.map(s -> s.has("storage") ? s.path("storage") : s.path("pvc")))
                    .orElse(Json.object());
            String imageId = harvester
                    .flatMap(h -> Json.textAt(h, "metadata", "annotations", VolumeClaimTemplates.IMAGE_ID))
                    .orElse(null);
            out.add(new ClaimRecord(
                    use.volumeName(),
                    use.claimName(),
                    use.source(),
                    text(pvcSpec.path("resources").path("requests").path("storage")),
                    text(pvcSpec.path("volumeMode")),
                    strings(pvcSpec.path("accessModes")),
                    text(pvcSpec.path("storageClassName")),
                    imageId));
        }
        return out;
    }

    /** Fills the fields the VM did not say from the claim's PVC object. */
    public static ClaimRecord withPvc(ClaimRecord r, JsonNode pvc) {
        JsonNode spec = pvc.path("spec");
        String size = r.size() != null
                ? r.size()
                : Optional.ofNullable(
                                text(spec.path("resources").path("requests").path("storage")))
                        .orElse(text(pvc.path("status").path("capacity").path("storage")));
        return new ClaimRecord(
                r.volumeName(),
                r.claimName(),
                r.source(),
                size,
                r.volumeMode() != null ? r.volumeMode() : text(spec.path("volumeMode")),
                r.accessModes() != null ? r.accessModes() : strings(spec.path("accessModes")),
                r.storageClass() != null ? r.storageClass() : text(spec.path("storageClassName")),
                r.imageId() != null
                        ? r.imageId()
                        : Json.textAt(pvc, "metadata", "annotations", VolumeClaimTemplates.IMAGE_ID)
                                .orElse(null));
    }

    /** The VM's dataVolumeTemplates entry named {@code name}. */
    public static Optional<ObjectNode> dataVolumeTemplate(JsonNode vm, String name) {
        for (JsonNode t : vm.path("spec").path("dataVolumeTemplates")) {
            if (name.equals(t.path("metadata").path("name").asText())) {
                return Optional.of((ObjectNode) t);
            }
        }
        return Optional.empty();
    }

    private static String text(JsonNode n) {
        return n.isTextual() || n.isNumber() ? n.asText() : null;
    }

    private static List<String> strings(JsonNode n) {
        if (!n.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return List.copyOf(out);
    }
}
