package io.vmconfig.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.restore.IdentityTransforms;
import io.vmconfig.core.restore.RestoreTransforms;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.Claims;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.core.vm.VmTransform;
import io.vmconfig.core.vm.VolumeClaimTemplates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VM as a Harvester {@code VirtualMachineTemplate} + {@code VirtualMachineTemplateVersion} (harvesterhci.io/v1beta1,
 * kubevirt-harvester.md §2.8): the VM's definition without machine identity, its volumes as claim templates in
 * {@code harvesterhci.io/volumeClaimTemplates} (named {@code <vm>-<volume>}), so that instantiating the template
 * builds a new machine with new disks of the same size, mode and class.
 */
public final class HarvesterTemplate {
    public static final String API_VERSION = "harvesterhci.io/v1beta1";
    public static final String TEMPLATE = "VirtualMachineTemplate";
    public static final String VERSION = "VirtualMachineTemplateVersion";

    private HarvesterTemplate() {}

    /** The template, its version, then the carried dependencies (as given). */
    public static List<ObjectNode> of(ConfigOnlyVm c, List<ObjectNode> dependencies) {
        String ns = c.ref().namespace();
        String name = c.ref().name();
        Map<String, String> claimNames = new LinkedHashMap<>();
        Map<String, String> dataVolumes = new LinkedHashMap<>();
        ArrayNode entries = Json.array();
        for (ClaimRecord r : c.claims()) {
            if (r.source() == ClaimSource.BACKEND_STORAGE
                    || claimNames.containsKey(r.claimName())
                    || dataVolumes.containsKey(r.claimName())) {
                continue;
            }
            String templateClaim = name + "-" + r.volumeName();
            if (Claims.dataVolumeTemplate(c.vm(), r.claimName()).isPresent()) {
                dataVolumes.put(r.claimName(), templateClaim); // its source (DataSource, PVC, URL) fills the disk
            } else {
                claimNames.put(r.claimName(), templateClaim);
                entries.add(entry(templateClaim, r));
            }
        }
        ObjectNode vm = VmTransform.chain(List.of(
                        RestoreTransforms.DROP_SOURCE_CLAIM_RECORDS,
                        IdentityTransforms.CLEAR_IDENTITY,
                        RestoreTransforms.remapClaims(claimNames),
                        RestoreTransforms.dropMappedDataVolumeTemplates(claimNames),
                        renameDataVolumeTemplates(dataVolumes),
                        DROP_REVISION_NAMES))
                .apply(c.vm());
        if (entries.isEmpty()) {
            Json.objectAt(vm, "metadata", "annotations").ifPresent(a -> a.remove(VolumeClaimTemplates.ANNOTATION));
        } else {
            VolumeClaimTemplates.write(vm, entries);
        }
        String versionName = name + "-" + shortHash(Json.compact(vm));
        ObjectNode template = object(TEMPLATE, ns, name);
        String description = Json.textAt(vm, "metadata", "annotations", "field.cattle.io/description")
                .orElse("exported by vmconfig from VM " + c.ref());
        template.putObject("spec")
                .put("defaultVersionId", ns + "/" + versionName)
                .put("description", description);
        ObjectNode version = object(VERSION, ns, versionName);
        ObjectNode vspec = version.putObject("spec");
        vspec.put("templateId", ns + "/" + name);
        vspec.put("description", description);
        ArrayNode keyPairs = keyPairs(vm);
        if (!keyPairs.isEmpty()) {
            vspec.set("keyPairIds", keyPairs);
        }
        ObjectNode source = vspec.putObject("vm");
        ObjectNode meta = source.putObject("metadata");
        copyIfPresent(vm.path("metadata"), meta, "labels");
        copyIfPresent(vm.path("metadata"), meta, "annotations");
        source.set("spec", vm.get("spec"));
        List<ObjectNode> out = new ArrayList<>();
        out.add(template);
        out.add(version);
        dependencies.stream()
                .filter(d -> !"ControllerRevision".equals(d.path("kind").asText()))
                .forEach(out::add);
        return out;
    }

    /**
     * DataVolume templates stay DataVolume templates, renamed after the template's VM: their source ({@code sourceRef}
     * DataSource, a source PVC, an image URL) is what gives a VM made from the template its image.
     */
    static VmTransform renameDataVolumeTemplates(Map<String, String> names) {
        return vm -> {
            if (names.isEmpty()) {
                return vm;
            }
            ObjectNode out = vm.deepCopy();
            for (JsonNode t : out.path("spec").path("dataVolumeTemplates")) {
                String n = t.path("metadata").path("name").asText();
                if (names.containsKey(n)) {
                    ((ObjectNode) t.get("metadata")).put("name", names.get(n));
                }
            }
            for (JsonNode v : out.path("spec").path("template").path("spec").path("volumes")) {
                JsonNode dv = v.get("dataVolume");
                if (dv != null
                        && dv.isObject()
                        && names.containsKey(dv.path("name").asText())) {
                    ((ObjectNode) dv).put("name", names.get(dv.path("name").asText()));
                }
            }
            return out;
        };
    }

    /**
     * A template builds VMs under new names, which the source VM's instancetype ControllerRevisions do not belong
     * to; without {@code revisionName} KubeVirt captures the live instancetype for each new VM (§1.8).
     */
    static final VmTransform DROP_REVISION_NAMES = vm -> {
        if (!vm.path("spec").path("instancetype").has("revisionName")
                && !vm.path("spec").path("preference").has("revisionName")) {
            return vm;
        }
        ObjectNode out = vm.deepCopy();
        Json.objectAt(out, "spec", "instancetype").ifPresent(m -> m.remove("revisionName"));
        Json.objectAt(out, "spec", "preference").ifPresent(m -> m.remove("revisionName"));
        return out;
    };

    /**
     * A new VM from a template version: named after the template (its {@code templateId}), in the version's
     * namespace, with the version's VM metadata and spec. Its claims are the version's claim templates, so the VM
     * gets new disks unless a VolumeMap maps them onto existing PVCs.
     */
    public static ObjectNode instantiate(JsonNode version, String origin) {
        String templateId = version.path("spec").path("templateId").asText("");
        JsonNode source = version.path("spec").path("vm");
        if (templateId.indexOf('/') <= 0 || !source.path("spec").isObject()) {
            throw io.vmconfig.core.VmConfigException.invalid(origin + ": " + VERSION + " "
                    + version.path("metadata").path("name").asText("?") + " has no spec.templateId NAMESPACE/NAME or"
                    + " no spec.vm.spec");
        }
        ObjectNode vm = Json.object().put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        ObjectNode meta = vm.putObject("metadata");
        meta.put("name", templateId.substring(templateId.indexOf('/') + 1));
        meta.put(
                "namespace",
                version.path("metadata").path("namespace").asText(templateId.substring(0, templateId.indexOf('/'))));
        copyIfPresent(source.path("metadata"), meta, "labels");
        copyIfPresent(source.path("metadata"), meta, "annotations");
        vm.set("spec", source.get("spec").deepCopy());
        return vm;
    }

    private static ObjectNode entry(String claim, ClaimRecord r) {
        ObjectNode e = Json.object();
        ObjectNode meta = e.putObject("metadata").put("name", claim);
        if (r.imageId() != null) {
            meta.putObject("annotations").put(VolumeClaimTemplates.IMAGE_ID, r.imageId());
        }
        ObjectNode spec = e.putObject("spec");
        ArrayNode modes = spec.putArray("accessModes");
        (r.accessModes() == null ? List.of("ReadWriteOnce") : r.accessModes()).forEach(modes::add);
        if (r.size() != null) {
            spec.putObject("resources").putObject("requests").put("storage", r.size());
        }
        if (r.volumeMode() != null) {
            spec.put("volumeMode", r.volumeMode());
        }
        if (r.storageClass() != null) {
            spec.put("storageClassName", r.storageClass());
        }
        return e;
    }

    private static ArrayNode keyPairs(ObjectNode vm) {
        ArrayNode out = Json.array();
        Json.textAt(vm, "spec", "template", "metadata", "annotations", Annotations.HARVESTER_SSH_NAMES)
                .map(s -> Json.parse(s, "annotation " + Annotations.HARVESTER_SSH_NAMES))
                .filter(JsonNode::isArray)
                .ifPresent(a -> a.forEach(k -> out.add(k.asText())));
        return out;
    }

    private static ObjectNode object(String kind, String ns, String name) {
        ObjectNode o = Json.object().put("apiVersion", API_VERSION).put("kind", kind);
        o.putObject("metadata")
                .put("name", name)
                .put("namespace", ns)
                .putObject("labels")
                .put(Annotations.MANAGED_LABEL, "true");
        return o;
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field).deepCopy());
        }
    }

    private static String shortHash(String text) {
        return io.vmconfig.core.restore.NewClaims.shortHash(text, 4);
    }
}
