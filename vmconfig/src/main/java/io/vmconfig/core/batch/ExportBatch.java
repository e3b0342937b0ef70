package io.vmconfig.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.template.HarvesterTemplate;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.Claims;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import java.util.ArrayList;
import java.util.List;

/**
 * Export: each VM of the input becomes its config-only definition followed by the dependencies the input holds.
 * The VM carries its claim records (enriched from PVC objects in the input) in {@code vmconfig.io/claims}, so a
 * later restore from these files can check the DR volumes. A broken VM fails alone.
 */
public final class ExportBatch {
    private ExportBatch() {}

    /** What to export each VM as. */
    public enum Form {
        /** The config-only VM and its dependencies. */
        VM,
        /** A Harvester VirtualMachineTemplate + VirtualMachineTemplateVersion and the dependencies. */
        HARVESTER_TEMPLATE
    }

    public static List<VmResult> run(List<SourcedObject> objects) {
        return run(objects, Form.VM);
    }

    public static List<VmResult> run(List<SourcedObject> objects, Form form) {
        ObjectIndex index = new ObjectIndex(objects);
        return index.eachVm(o -> export(o, index, form));
    }

    static VmResult export(SourcedObject o, ObjectIndex index, Form form) {
        return export(ConfigOnlyFilter.filter(o.object(), o.origin()), o.origin(), index, form);
    }

    /**
     * One VM the caller has already filtered (the Velero plugin filters each VM once), with the objects it found
     * for it ({@code related}: its carried dependencies and PVCs); the same result as {@link #run} would give.
     */
    public static VmResult exportFiltered(ConfigOnlyVm c, String origin, List<SourcedObject> related) {
        return export(c, origin, new ObjectIndex(related), Form.VM);
    }

    private static VmResult export(ConfigOnlyVm c, String origin, ObjectIndex index, Form form) {
        List<ClaimRecord> claims = new ArrayList<>();
        for (ClaimRecord r : c.claims()) {
            JsonNode pvc = r.source() == ClaimSource.BACKEND_STORAGE
                    ? null
                    : index.find("PersistentVolumeClaim", c.ref().namespace(), r.claimName())
                            .orElse(null);
            claims.add(pvc == null ? r : Claims.withPvc(r, pvc));
        }
        ObjectNode vm = withSourceRecord(c, claims);
        List<String> missing = new ArrayList<>();
        List<ObjectNode> deps = index.dependencies(c.dependencies(), missing);
        List<ObjectNode> docs = new ArrayList<>();
        if (form == Form.HARVESTER_TEMPLATE) {
            docs.addAll(HarvesterTemplate.of(
                    new ConfigOnlyVm(c.ref(), c.uid(), c.generation(), c.vm(), c.dependencies(), claims), deps));
        } else {
            docs.add(vm);
            docs.addAll(deps);
        }
        List<String> details = new ArrayList<>();
        missing.forEach(m -> details.add("warning: " + m + " is not in the input"));
        return new VmResult(c.ref(), c.ref(), VmResult.Status.EXPORTED, origin, docs, details);
    }

    /**
     * The config-only VM carrying what the source said of it (uid, generation, claim records), which a later DR
     * restore reads back with {@link RestoreBatch#withRecordedClaims}. Used by the export and the Velero plugin.
     */
    public static ObjectNode withSourceRecord(ConfigOnlyVm c, List<ClaimRecord> claims) {
        ObjectNode vm = c.vm().deepCopy();
        ObjectNode annotations = Json.ensureObject(vm, "metadata", "annotations");
        if (c.uid() != null) {
            String copiedFrom = annotations.path(Annotations.SOURCE_UID).asText("");
            if (!copiedFrom.isEmpty() && !copiedFrom.equals(c.uid())) {
                annotations.put(Annotations.ORIGIN_UID, copiedFrom); // a DR copy: failback adopts its original
            }
            annotations.put(Annotations.SOURCE_UID, c.uid());
        }
        if (c.generation() > 0) {
            annotations.put(Annotations.SOURCE_GENERATION, Long.toString(c.generation()));
        }
        if (!claims.isEmpty()) {
            annotations.put(Annotations.CLAIMS, Json.compact(ClaimRecord.toJson(claims)));
        }
        return vm;
    }
}
