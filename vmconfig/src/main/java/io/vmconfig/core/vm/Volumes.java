package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** Reads the claim references of a VM's volumes. */
public final class Volumes {
    /** Prefix of the backend-storage PVC KubeVirt keeps for a persistent TPM/EFI (and its label key). */
    public static final String BACKEND_PREFIX = "persistent-state-for-";

    public static final String BACKEND_LABEL = "persistent-state-for";

    private Volumes() {}

    /** Every claim the VM's volumes name, in volume order, plus the backend-storage PVC when one is needed. */
    public static List<ClaimUse> claimUses(ObjectNode vm) {
        List<ClaimUse> uses = new ArrayList<>();
        Json.arrayAt(vm, "spec", "template", "spec", "volumes").ifPresent(volumes -> {
            for (JsonNode v : volumes) {
                ClaimUse use = claimUse(v);
                if (use != null) {
                    uses.add(use);
                }
            }
        });
        if (needsBackendStorage(vm)) {
            String name = vm.path("metadata").path("name").asText();
            uses.add(new ClaimUse(null, ClaimSource.BACKEND_STORAGE, BACKEND_PREFIX + name));
        }
        return uses;
    }

    /** The claim one volume refers to, or null when it refers to none. */
    public static ClaimUse claimUse(JsonNode volume) {
        String vol = volume.path("name").asText();
        String claim = text(volume.path("persistentVolumeClaim").path("claimName"));
        if (claim != null) {
            return new ClaimUse(vol, ClaimSource.PERSISTENT_VOLUME_CLAIM, claim);
        }
        claim = text(volume.path("dataVolume").path("name"));
        if (claim != null) {
            return new ClaimUse(vol, ClaimSource.DATA_VOLUME, claim);
        }
        claim = text(volume.path("ephemeral").path("persistentVolumeClaim").path("claimName"));
        if (claim != null) {
            return new ClaimUse(vol, ClaimSource.EPHEMERAL, claim);
        }
        claim = text(volume.path("memoryDump").path("claimName"));
        if (claim != null) {
            return new ClaimUse(vol, ClaimSource.MEMORY_DUMP, claim);
        }
        return null;
    }

    /** A persistent TPM or persistent EFI makes KubeVirt keep a backend-storage PVC per VM. */
    public static boolean needsBackendStorage(ObjectNode vm) {
        JsonNode domain = vm.path("spec").path("template").path("spec").path("domain");
        return domain.path("devices").path("tpm").path("persistent").asBoolean(false)
                || domain.path("firmware")
                        .path("bootloader")
                        .path("efi")
                        .path("persistent")
                        .asBoolean(false);
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }
}
