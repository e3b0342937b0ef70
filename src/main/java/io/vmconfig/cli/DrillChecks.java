package io.vmconfig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.ClaimUse;
import io.vmconfig.core.vm.VirtualMachines;
import io.vmconfig.core.vm.Volumes;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import java.io.PrintWriter;
import java.util.List;

/** The expectations the drill checks on what it wrote, read back from the files. */
final class DrillChecks {
    private final PrintWriter out;
    private int passed;
    private int failed;

    DrillChecks(PrintWriter out) {
        this.out = out;
    }

    int passed() {
        return passed;
    }

    int failures() {
        return failed;
    }

    void check(boolean ok, String what) {
        if (ok) {
            passed++;
            out.println("   ok    " + what);
        } else {
            failed++;
            out.println("   FAIL  " + what);
        }
    }

    void exported(List<VmResult> results, List<SourcedObject> input) {
        long vms = input.stream().filter(o -> VirtualMachines.KIND.equals(o.kind())).count();
        check(results.size() == vms && results.stream().allMatch(VmResult::ok),
                "every production VM exported (" + vms + ")");
        check(results.stream().flatMap(r -> r.documents().stream()).noneMatch(d -> d.has("status")
                        || d.path("metadata").has("uid") || d.path("metadata").has("managedFields")),
                "no status, uid or managedFields in the export");
        check(results.stream().flatMap(r -> r.documents().stream())
                        .noneMatch(d -> d.path("kind").asText().equals("PersistentVolumeClaim")),
                "no PVC objects in the export (the storage layer owns the disks)");
    }

    void failover(List<SourcedObject> written, DrInventory inv, int expected) {
        List<ObjectNode> vms = vms(written);
        check(vms.size() == expected, "every VM restored for failover (" + vms.size() + "/" + expected + ")");
        check(vms.stream().allMatch(v -> "Halted".equals(v.path("spec").path("runStrategy").asText())
                        && !v.path("spec").has("running")), "every DR VM is Halted, without spec.running");
        check(vms.stream().allMatch(v -> Json.textAt(v, "metadata", "annotations",
                        Annotations.ORIGINAL_RUN_STRATEGY).isPresent()), "the original run strategy is recorded");
        check(vms.stream().allMatch(v -> Volumes.claimUses(v).stream()
                        .filter(u -> u.source() != ClaimSource.BACKEND_STORAGE)
                        .allMatch(u -> inv.pvc(v.path("metadata").path("namespace").asText(), u.claimName())
                                .isPresent())), "every claim points at a replicated DR PVC");
        check(vms.stream().allMatch(v -> !v.path("spec").has("dataVolumeTemplates")
                        && Volumes.claimUses(v).stream().map(ClaimUse::source).noneMatch(s -> s == ClaimSource.DATA_VOLUME)
                        && !v.path("metadata").path("annotations").has(VolumeClaimTemplates.ANNOTATION)),
                "no template left that would create a fresh disk");
        check(written.indexOf(written.stream().filter(o -> VirtualMachines.KIND.equals(o.kind())).findFirst()
                .orElseThrow()) > 0, "dependencies are written before their VM");
    }

    void copy(List<SourcedObject> written, List<SourcedObject> exported) {
        List<ObjectNode> copies = vms(written);
        List<ObjectNode> sources = vms(exported);
        boolean macsCleared = copies.stream().allMatch(v -> {
            for (JsonNode i : v.path("spec").path("template").path("spec").path("domain").path("devices")
                    .path("interfaces")) {
                if (i.has("macAddress")) {
                    return false;
                }
            }
            return !v.path("metadata").path("annotations").has(Annotations.HARVESTER_MAC_ADDRESS);
        });
        check(macsCleared, "test copies have no MAC address (spec or Harvester annotation)");
        boolean newUuids = copies.stream().allMatch(c -> sources.stream()
                .filter(s -> s.path("metadata").path("name").equals(c.path("metadata").path("name")))
                .noneMatch(s -> s.at("/spec/template/spec/domain/firmware/uuid")
                        .equals(c.at("/spec/template/spec/domain/firmware/uuid"))));
        check(newUuids && !copies.isEmpty(), "test copies have new firmware UUIDs");
    }

    private static List<ObjectNode> vms(List<SourcedObject> objects) {
        return objects.stream().filter(o -> VirtualMachines.KIND.equals(o.kind()))
                .map(o -> (ObjectNode) o.object()).toList();
    }
}
