package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmTransform;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Item 7: machine identity by restore mode. Failover keeps MACs, firmware UUID and serial; a copy gets none of the
 * source's: spec MACs and Harvester's MAC annotation go (Harvester would re-apply MACs from it, §2.4), and the
 * firmware gets a new UUID and, where it had one, a new serial. A template keeps no identity at all.
 */
public final class IdentityTransforms {
    private IdentityTransforms() {}

    public static VmTransform forMode(RestoreMode mode, Supplier<UUID> uuids) {
        return mode == RestoreMode.FAILOVER ? vm -> vm : newIdentity(uuids);
    }

    /** No MACs, no firmware UUID, no serial: for templates, from which KubeVirt and Harvester build new machines. */
    public static final VmTransform CLEAR_IDENTITY = vm -> {
        ObjectNode out = vm.deepCopy();
        clearMacs(out);
        Json.objectAt(out, "spec", "template", "spec", "domain")
                .ifPresent(d -> Json.objectAt(d, "firmware").ifPresent(f -> {
                    f.remove(java.util.List.of("uuid", "serial"));
                    if (f.isEmpty()) {
                        d.remove("firmware");
                    }
                }));
        return out;
    };

    static VmTransform newIdentity(Supplier<UUID> uuids) {
        return vm -> {
            ObjectNode out = vm.deepCopy();
            clearMacs(out);
            ObjectNode firmware = Json.ensureObject(out, "spec", "template", "spec", "domain", "firmware");
            firmware.put("uuid", uuids.get().toString());
            if (firmware.has("serial")) {
                firmware.put(
                        "serial",
                        uuids.get().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT));
            }
            return out;
        };
    }

    /** Removes spec MACs and Harvester's MAC annotation, which Harvester would otherwise re-apply. */
    private static void clearMacs(ObjectNode out) {
        Json.objectAt(out, "metadata", "annotations").ifPresent(a -> {
            a.remove(Annotations.HARVESTER_MAC_ADDRESS);
            if (a.isEmpty()) {
                ((ObjectNode) out.get("metadata")).remove("annotations");
            }
        });
        for (JsonNode iface : out.path("spec")
                .path("template")
                .path("spec")
                .path("domain")
                .path("devices")
                .path("interfaces")) {
            ((ObjectNode) iface).remove("macAddress");
        }
    }
}
