package io.vmconfig.core.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.Quantity;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DR pre-flight as a pure function (kubevirt-harvester.md §6 item 10): given the DR VM about to be written, the
 * source's claim records, the claim mapping applied and the DR inventory, it returns every reason the VM must not be
 * written. An empty list means ready.
 */
public final class Preflight {
    private Preflight() {}

    public static List<Problem> check(
            ObjectNode drVm, List<ClaimRecord> sourceClaims, Map<String, String> claimMap, DrInventory inv) {
        VmRef target = new VmRef(
                drVm.path("metadata").path("namespace").asText(),
                drVm.path("metadata").path("name").asText());
        List<Problem> problems = new ArrayList<>();
        for (ClaimRecord c : sourceClaims) {
            if (c.source() == ClaimSource.BACKEND_STORAGE) {
                if (inv.backendPvc(target.namespace(), target.name()).isEmpty()) {
                    problems.add(new Problem(
                            Reason.BACKEND_PVC_MISSING,
                            "VM " + target + " keeps a persistent TPM/EFI"
                                    + " but no PVC labelled persistent-state-for=" + target.name() + " exists in "
                                    + target.namespace()));
                }
                continue;
            }
            String dr = claimMap.get(c.claimName());
            if (dr != null) {
                checkClaim(c, dr, target, inv, problems);
            }
        }
        checkNetworks(drVm, inv, problems);
        checkStorageClasses(drVm, inv, problems);
        checkMatcher(
                drVm,
                "instancetype",
                "VirtualMachineClusterInstancetype",
                inv.clusterInstancetypes(),
                Reason.INSTANCETYPE_MISSING,
                problems);
        checkMatcher(
                drVm,
                "preference",
                "VirtualMachineClusterPreference",
                inv.clusterPreferences(),
                Reason.PREFERENCE_MISSING,
                problems);
        return problems;
    }

    /** The new disks a copy creates: their storage classes must exist on DR, or the PVCs would stay Pending. */
    public static List<Problem> checkNewClaims(List<ObjectNode> pvcs, DrInventory inv) {
        List<Problem> problems = new ArrayList<>();
        for (ObjectNode p : pvcs) {
            Json.textAt(p, "spec", "storageClassName")
                    .filter(sc -> !inv.storageClasses().contains(sc))
                    .ifPresent(sc -> problems.add(new Problem(
                            Reason.STORAGE_CLASS_MISSING,
                            "new disk "
                                    + p.path("metadata").path("namespace").asText() + "/"
                                    + p.path("metadata").path("name").asText() + " needs storage class " + sc
                                    + ", which does not exist on DR")));
        }
        return problems;
    }

    private static void checkClaim(ClaimRecord c, String dr, VmRef target, DrInventory inv, List<Problem> out) {
        String what = "claim " + c.claimName() + " -> PVC " + target.namespace() + "/" + dr;
        Optional<PvcInfo> found = inv.pvc(target.namespace(), dr);
        if (found.isEmpty()) {
            out.add(new Problem(Reason.PVC_MISSING, what + " does not exist on DR"));
            return;
        }
        PvcInfo p = found.get();
        if (!"Bound".equals(p.phase())) {
            out.add(new Problem(
                    Reason.PVC_NOT_BOUND,
                    what + " is " + (p.phase() == null ? "not bound" : p.phase()) + ", not Bound"));
        }
        if (c.size() != null && p.size() != null) {
            BigDecimal need;
            BigDecimal have;
            try {
                need = Quantity.parse(c.size(), "the source size of claim " + c.claimName());
                have = Quantity.parse(p.size(), "the size of DR PVC " + p.key());
            } catch (VmConfigException e) {
                out.add(new Problem(Reason.SIZE_UNKNOWN, what + ": " + e.getMessage()));
                return;
            }
            if (have.compareTo(need) < 0) {
                out.add(new Problem(
                        Reason.PVC_TOO_SMALL, what + " has " + p.size() + ", the source needs " + c.size()));
            }
        }
        if (c.volumeMode() != null && !c.volumeMode().equals(p.effectiveVolumeMode())) {
            out.add(new Problem(
                    Reason.VOLUME_MODE_MISMATCH,
                    what + " is " + p.effectiveVolumeMode() + ", the source disk is " + c.volumeMode()));
        }
        VmRef user = inv.claimUsers().get(p.key());
        if (user != null && !user.equals(target)) {
            out.add(new Problem(Reason.PVC_IN_USE, what + " is already used by VM " + user));
        }
    }

    private static void checkNetworks(ObjectNode vm, DrInventory inv, List<Problem> out) {
        String ns = vm.path("metadata").path("namespace").asText();
        for (JsonNode n : vm.path("spec").path("template").path("spec").path("networks")) {
            String ref = n.path("multus").path("networkName").asText("");
            if (ref.isEmpty()) {
                continue;
            }
            String key = ref.contains("/") ? ref : ns + "/" + ref;
            if (!inv.nads().contains(key)) {
                out.add(new Problem(
                        Reason.NAD_MISSING,
                        "network " + n.path("name").asText() + " needs" + " NetworkAttachmentDefinition " + key
                                + ", which does not exist on DR"));
            }
        }
    }

    private static void checkStorageClasses(ObjectNode vm, DrInventory inv, List<Problem> out) {
        Set<String> needed = new LinkedHashSet<>();
        for (JsonNode t : vm.path("spec").path("dataVolumeTemplates")) {
            JsonNode s = t.path("spec");
            Json.textAt(s, "storage", "storageClassName").ifPresent(needed::add);
            Json.textAt(s, "pvc", "storageClassName").ifPresent(needed::add);
        }
        VolumeClaimTemplates.read(
                        vm, "VirtualMachine " + vm.path("metadata").path("name").asText())
                .ifPresent(a -> a.forEach(
                        e -> Json.textAt(e, "spec", "storageClassName").ifPresent(needed::add)));
        for (String sc : needed) {
            if (!inv.storageClasses().contains(sc)) {
                out.add(new Problem(Reason.STORAGE_CLASS_MISSING, "storage class " + sc + " does not exist on DR"));
            }
        }
    }

    private static void checkMatcher(
            ObjectNode vm, String field, String clusterKind, Set<String> known, Reason reason, List<Problem> out) {
        JsonNode m = vm.path("spec").path(field);
        if (!m.isObject() || !clusterKind.equals(m.path("kind").asText(clusterKind))) {
            return;
        }
        String name = m.path("name").asText("");
        if (!name.isEmpty() && !known.contains(name)) {
            out.add(new Problem(reason, clusterKind + " " + name + " does not exist on DR"));
        }
    }
}
