package io.vmconfig.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * For any VM the generator makes and any VolumeMap, the DR result references only claims that are targets of the
 * mapping (failover) or disks this run creates (copy), never a PVC it neither maps nor owns; a copy never keeps the
 * source's MAC or firmware UUID. Seeded: a failure names its seed, and {@code -Dplacement.seed=N} replays it.
 */
class ClaimPlacementPropertyTest {
    static final int RUNS = Integer.getInteger("placement.runs", 400);
    static final String[] CLAIMS = {"root", "data", "logs", "vm-a-root", "shared", "20260101", ""};

    @Test
    void everyClaimIsPlacedOrTheVmIsBlocked() {
        Long only = Long.getLong("placement.seed");
        int restored = 0;
        for (long seed = only == null ? 1 : only; seed <= (only == null ? RUNS : only); seed++) {
            restored += check(seed) ? 1 : 0;
        }
        if (only == null) {
            assertThat(restored)
                    .as("the generator must also make restorable VMs")
                    .isGreaterThan(RUNS / 10);
        }
    }

    private static boolean check(long seed) {
        Random rnd = new Random(seed);
        ObjectNode vm = vm(rnd);
        String mapText = map(rnd);
        VolumeMap map = VolumeMap.parse(mapText, "seed " + seed);
        Set<String> existing = new HashSet<>();
        List<JsonNode> inventory = new ArrayList<>();
        for (String c : CLAIMS) {
            if (!c.isEmpty() && rnd.nextInt(3) == 0) {
                for (String n : List.of(c, "vm-a-" + c, "dr-" + c)) {
                    existing.add(n);
                    inventory.add(Json.parse(
                            "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":"
                                    + "{\"name\":\"" + n
                                    + "\",\"namespace\":\"ns\"},\"spec\":{\"resources\":{\"requests\":"
                                    + "{\"storage\":\"100Gi\"}}},\"status\":{\"phase\":\"Bound\"}}",
                            "inventory"));
                }
            }
        }
        ConfigOnlyVm src;
        try {
            src = ConfigOnlyFilter.filter(vm, "seed " + seed);
        } catch (VmConfigException e) {
            return false; // refused by admission: nothing is restored, which is safe
        }
        Optional<DrInventory> inv = rnd.nextBoolean() ? Optional.of(DrInventory.of(inventory)) : Optional.empty();
        RestoreOutcome out = new DrRestore(map, () -> new UUID(seed, rnd.nextLong())).restore(src, inv, Map.of());
        if (!(out instanceof RestoreOutcome.Restored r)) {
            return false;
        }
        Set<String> created = new HashSet<>();
        r.newClaims().forEach(p -> created.add(p.path("metadata").path("name").asText()));
        for (JsonNode t : r.vm().path("spec").path("dataVolumeTemplates")) {
            if ("vmconfig"
                    .equals(t.path("metadata")
                            .path("labels")
                            .path("vmconfig.io/created-by")
                            .asText())) {
                created.add(t.path("metadata").path("name").asText());
            }
        }
        Set<String> mapped = new HashSet<>(r.claimMap().values());
        String why =
                "seed " + seed + "\nmap:\n" + mapText + "\nvm: " + Json.compact(vm) + "\nDR: " + Json.compact(r.vm());
        for (String claim : references(r.vm())) {
            assertThat(mapped.contains(claim) || created.contains(claim))
                    .as(why + "\nclaim " + claim)
                    .isTrue();
            if (map.mode() == RestoreMode.COPY) {
                boolean explicit = map.claims().containsValue(claim);
                assertThat(explicit || created.contains(claim))
                        .as(why + "\ncopy uses " + claim)
                        .isTrue();
                assertThat(created.contains(claim) && existing.contains(claim) && inv.isPresent())
                        .as(why + "\ncopy's new disk takes existing name " + claim)
                        .isFalse();
            }
        }
        if (map.mode() == RestoreMode.COPY) {
            assertThat(r.vm().at("/spec/template/spec/domain/firmware/uuid").asText())
                    .isNotEqualTo(
                            vm.at("/spec/template/spec/domain/firmware/uuid").asText());
            assertThat(r.vm().at("/spec/template/spec/domain/devices/interfaces/0")
                            .has("macAddress"))
                    .as(why)
                    .isFalse();
        }
        return true;
    }

    /** Every claim name a VM's volumes reference, found independently of the code under test. */
    static List<String> references(JsonNode vm) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : vm.path("spec").path("template").path("spec").path("volumes")) {
            for (String p : List.of(
                    "/persistentVolumeClaim/claimName",
                    "/dataVolume/name",
                    "/ephemeral/persistentVolumeClaim/claimName",
                    "/memoryDump/claimName")) {
                JsonNode n = v.at(p);
                if (!n.isMissingNode()) {
                    out.add(n.asText());
                }
            }
        }
        return out;
    }

    static ObjectNode vm(Random rnd) {
        ObjectNode vm = Json.object().put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        vm.putObject("metadata").put("name", "vm-a").put("namespace", "ns");
        ObjectNode spec = vm.putObject("spec").put("runStrategy", rnd.nextBoolean() ? "Always" : "Halted");
        if (rnd.nextInt(10) == 0) {
            spec.put("running", true);
        }
        ObjectNode tspec = spec.putObject("template").putObject("spec");
        ObjectNode domain = tspec.putObject("domain");
        domain.putObject("firmware").put("uuid", "11111111-2222-3333-4444-555555555555");
        ObjectNode devices = domain.putObject("devices");
        devices.putArray("interfaces")
                .addObject()
                .put("name", "nic")
                .put("macAddress", "02:00:00:00:00:01")
                .putObject("bridge");
        tspec.putArray("networks").addObject().put("name", "nic").putObject("pod");
        ArrayNode disks = devices.putArray("disks");
        ArrayNode volumes = tspec.putArray("volumes");
        ArrayNode dvts = Json.array();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = "v" + i;
            disks.addObject().put("name", name).putObject("disk");
            ObjectNode v = volumes.addObject().put("name", name);
            String claim = CLAIMS[rnd.nextInt(CLAIMS.length)];
            switch (rnd.nextInt(6)) {
                case 0 -> v.putObject("containerDisk").put("image", "img");
                case 1 -> {
                    v.putObject("dataVolume").put("name", claim);
                    if (rnd.nextBoolean() && !claim.isEmpty()) {
                        ObjectNode t = dvts.addObject();
                        t.putObject("metadata").put("name", claim);
                        ObjectNode s = t.putObject("spec");
                        s.putObject("sourceRef").put("kind", "DataSource").put("name", "fedora");
                        s.putObject("storage")
                                .putObject("resources")
                                .putObject("requests")
                                .put("storage", "10Gi");
                    }
                }
                case 2 ->
                    v.putObject("ephemeral").putObject("persistentVolumeClaim").put("claimName", claim);
                case 3 -> {
                    if (claim.matches("\\d+")) {
                        v.putObject("persistentVolumeClaim").put("claimName", Long.parseLong(claim));
                    } else {
                        v.putObject("persistentVolumeClaim").put("claimName", claim);
                    }
                }
                default -> v.putObject("persistentVolumeClaim").put("claimName", claim);
            }
        }
        if (!dvts.isEmpty()) {
            spec.set("dataVolumeTemplates", dvts);
        }
        // the export's side record: sizes from the PVC objects
        ArrayNode records = Json.array();
        for (JsonNode v : volumes) {
            String claim = v.at("/persistentVolumeClaim/claimName")
                    .asText(v.at("/dataVolume/name")
                            .asText(v.at("/ephemeral/persistentVolumeClaim/claimName")
                                    .asText("")));
            if (!claim.isEmpty() && rnd.nextInt(4) != 0) {
                records.addObject()
                        .put("volumeName", v.path("name").asText())
                        .put("claimName", claim)
                        .put(
                                "source",
                                v.has("dataVolume")
                                        ? "DATA_VOLUME"
                                        : v.has("ephemeral") ? "EPHEMERAL" : "PERSISTENT_VOLUME_CLAIM")
                        .put("size", "10Gi");
            }
        }
        if (!records.isEmpty() && rnd.nextBoolean()) {
            ((ObjectNode) vm.get("metadata")).putObject("annotations").put("vmconfig.io/claims", Json.compact(records));
        }
        return vm;
    }

    static String map(Random rnd) {
        StringBuilder m = new StringBuilder("apiVersion: vmconfig.io/v1\nkind: VolumeMap\n");
        m.append("mode: ").append(rnd.nextBoolean() ? "copy" : "failover").append('\n');
        m.append("unmapped: ")
                .append(rnd.nextBoolean() ? "create-empty" : "fail")
                .append('\n');
        StringBuilder claims = new StringBuilder();
        for (String c : CLAIMS) {
            if (!c.isEmpty() && !c.matches("\\d+") && rnd.nextInt(3) == 0) {
                claims.append("  ns/").append(c).append(": dr-").append(c).append('\n');
            }
        }
        if (claims.length() > 0) {
            m.append("claims:\n").append(claims);
        }
        StringBuilder rules = new StringBuilder();
        if (rnd.nextBoolean()) {
            rules.append("  - {regex: \"^(.*)-root$\", replace: \"dr-$1-root\"}\n");
        }
        if (rnd.nextInt(3) == 0) {
            rules.append(rnd.nextBoolean() ? "  - {prefix: \"dr-\"}\n" : "  - {prefix: \"\"}\n");
        }
        if (rules.length() > 0) {
            m.append("rules:\n").append(rules);
        }
        return m.toString();
    }
}
