package io.vmconfig.core.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.NamespaceTransforms;
import io.vmconfig.core.restore.RestoreOutcome;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.Claims;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DR restore of a set of exported objects: every VM goes through the filter (idempotent) and the DR restore; the
 * DR documents are its carried dependencies first, then the VM, so that {@code kubectl apply -f} creates them in a
 * working order. Blocked and broken VMs are reported and produce no documents; the others go on.
 */
public final class RestoreBatch {
    private static final TypeReference<List<ClaimRecord>> CLAIMS = new TypeReference<>() {};

    private RestoreBatch() {}

    public static List<VmResult> run(List<SourcedObject> objects, DrRestore restore, Optional<DrInventory> inventory) {
        ObjectIndex index = new ObjectIndex(objects);
        return index.eachVm(o -> restore(o, index, restore, inventory));
    }

    private static VmResult restore(
            SourcedObject o, ObjectIndex index, DrRestore restore, Optional<DrInventory> inventory) {
        ConfigOnlyVm recorded = withRecordedClaims(ConfigOnlyFilter.filter(o.object(), o.origin()), o.origin());
        // claims the record does not size (a VM given without export) take what the input's PVC objects say
        ConfigOnlyVm c = new ConfigOnlyVm(
                recorded.ref(),
                recorded.uid(),
                recorded.generation(),
                recorded.vm(),
                recorded.dependencies(),
                recorded.claims().stream()
                        .map(r -> index.find(
                                        "PersistentVolumeClaim", recorded.ref().namespace(), r.claimName())
                                .map(p -> Claims.withPvc(r, p))
                                .orElse(r))
                        .toList());
        RestoreOutcome outcome = restore.restore(c, inventory, Map.of());
        if (outcome instanceof RestoreOutcome.Blocked b) {
            return new VmResult(
                    c.ref(),
                    null,
                    b.refused() ? VmResult.Status.REFUSED : VmResult.Status.BLOCKED,
                    o.origin(),
                    List.of(),
                    b.problems().stream().map(Object::toString).toList(),
                    b.problems().stream().map(x -> x.reason().name()).distinct().toList());
        }
        RestoreOutcome.Restored r = (RestoreOutcome.Restored) outcome;
        List<String> details = new ArrayList<>(r.notes());
        List<String> missing = new ArrayList<>();
        List<ObjectNode> docs = new ArrayList<>();
        for (ObjectNode dep : index.dependencies(c.dependencies(), missing)) {
            docs.add(DependencyRestore.apply(dep, c.ref(), restore.map()));
        }
        missing.forEach(m -> details.add("warning: " + m + " is not in the input; it must exist on DR"));
        docs.addAll(r.newClaims());
        docs.add(r.vm());
        return new VmResult(c.ref(), r.target(), VmResult.Status.RESTORED, o.origin(), docs, details);
    }

    /**
     * Exported VMs carry what the source said of them: uid and generation, and claim records with sizes from the
     * PVCs, which are better than what the VM alone says.
     */
    public static ConfigOnlyVm withRecordedClaims(ConfigOnlyVm c, String origin) {
        String uid = c.uid() != null
                ? c.uid()
                : Json.textAt(c.vm(), "metadata", "annotations", Annotations.SOURCE_UID)
                        .orElse(null);
        long generation = c.generation() > 0
                ? c.generation()
                : parseGeneration(Json.textAt(c.vm(), "metadata", "annotations", Annotations.SOURCE_GENERATION));
        Optional<String> recorded = Json.textAt(c.vm(), "metadata", "annotations", Annotations.CLAIMS);
        if (recorded.isEmpty()) {
            return new ConfigOnlyVm(c.ref(), uid, generation, c.vm(), c.dependencies(), c.claims());
        }
        List<ClaimRecord> claims;
        try {
            JsonNode tree = Json.parse(recorded.get(), origin + ": annotation " + Annotations.CLAIMS);
            claims = Json.mapper().convertValue(tree, CLAIMS);
        } catch (IllegalArgumentException e) {
            throw VmConfigException.invalid(origin + ": VirtualMachine " + c.ref() + ": annotation "
                    + Annotations.CLAIMS + " is not a list of claim records");
        }
        if (claims == null || claims.stream().anyMatch(r -> r == null || r.claimName() == null || r.source() == null)) {
            throw VmConfigException.invalid(origin + ": VirtualMachine " + c.ref() + ": annotation "
                    + Annotations.CLAIMS + " has an entry without claimName or source");
        }
        return new ConfigOnlyVm(c.ref(), uid, generation, c.vm(), c.dependencies(), claims);
    }

    private static long parseGeneration(Optional<String> text) {
        try {
            return text.map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            return 0L;
        }
    }

    /** A dependency object as written on DR: namespace mapped, marked as vmconfig's, traced to its VM. */
    static final class DependencyRestore {
        private DependencyRestore() {}

        static ObjectNode apply(ObjectNode dep, VmRef vm, io.vmconfig.core.restore.VolumeMap map) {
            ObjectNode out = NamespaceTransforms.mapObjectNamespace(dep, map).deepCopy();
            Json.ensureObject(out, "metadata", "labels").put(Annotations.MANAGED_LABEL, "true");
            Json.ensureObject(out, "metadata", "annotations").put(Annotations.PREFIX + "source-vm", vm.toString());
            return out;
        }
    }
}
