package io.vmconfig.service.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.DrReader;
import io.vmconfig.adapters.kube.KubeApplier;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.vm.VirtualMachines;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates imported VMs in a target cluster: dependencies first (an existing one is left as it is), then the VM.
 * An import never overwrites: a VM that already exists is reported and left alone, so importing twice is safe.
 */
public final class KubeImporter {
    private final KubeCluster target;
    private final KubeApplier namespaces;

    public KubeImporter(KubeCluster target) {
        this.target = target;
        this.namespaces = new KubeApplier(target);
    }

    /**
     * What the target cluster holds that the VMs' pre-flight checks against (claims, networks, classes, existing
     * VMs), read as a DR restore reads it; the activation state is that of {@code stateNamespace}.
     */
    public DrInventory inventory(String stateNamespace, Clock clock) {
        DrReader reader = new DrReader(target, new ActivationState(target, stateNamespace, clock));
        return reader.inventory(reader.vms());
    }

    /** What happened to one VM: created (with the number of objects written), or why not. */
    public record Imported(VmResult result, boolean created, int written, String detail) {}

    public List<Imported> importAll(List<VmResult> restored, boolean dryRun) {
        List<Imported> out = new ArrayList<>();
        for (VmResult r : restored) {
            if (!r.ok()) {
                out.add(new Imported(r, false, 0, String.join("; ", r.details())));
                continue;
            }
            ObjectNode vm = r.documents().get(r.documents().size() - 1);
            if (target.get(KubeKind.VM, r.target().namespace(), r.target().name())
                    .isPresent()) {
                out.add(new Imported(r, false, 0, "VM " + r.target() + " already exists: import never overwrites"));
                continue;
            }
            if (dryRun) {
                out.add(new Imported(
                        r, false, 0, "(dry run) would create " + r.documents().size() + " object(s)"));
                continue;
            }
            try {
                out.add(new Imported(r, true, create(r.documents(), vm), "created"));
            } catch (VmConfigException e) {
                out.add(new Imported(r, false, 0, e.getMessage()));
            }
        }
        return out;
    }

    /** What happened to one Harvester template: created with its versions and dependencies, or why not. */
    public record ImportedTemplate(String template, boolean created, int written, String detail) {}

    /**
     * {@code import --templates}: each VirtualMachineTemplate of the input with its versions and the objects they
     * carry (cloud-init Secrets, ...), created in the template's namespace. A template that already exists is left
     * alone with its versions (import never overwrites); a dependency that exists is kept as it is.
     */
    public List<ImportedTemplate> importTemplates(List<ObjectNode> objects, boolean dryRun) {
        List<ImportedTemplate> out = new ArrayList<>();
        for (ObjectNode t : objects) {
            if (!KubeKind.VM_TEMPLATE.kind().equals(t.path("kind").asText())) {
                continue;
            }
            String ns = t.path("metadata").path("namespace").asText();
            String name = t.path("metadata").path("name").asText();
            String id = ns + "/" + name;
            List<ObjectNode> docs = new ArrayList<>();
            docs.add(t);
            objects.stream()
                    .filter(v -> KubeKind.VM_TEMPLATE_VERSION
                                    .kind()
                                    .equals(v.path("kind").asText())
                            && id.equals(v.path("spec").path("templateId").asText()))
                    .forEach(docs::add);
            objects.stream()
                    .filter(d -> !d.path("kind").asText().startsWith("VirtualMachineTemplate")
                            && ns.equals(d.path("metadata").path("namespace").asText()))
                    .forEach(docs::add);
            if (target.get(KubeKind.VM_TEMPLATE, ns, name).isPresent()) {
                out.add(new ImportedTemplate(
                        id, false, 0, "VirtualMachineTemplate " + id + " already exists: import never overwrites"));
                continue;
            }
            if (dryRun) {
                out.add(new ImportedTemplate(id, false, 0, "(dry run) would create " + docs.size() + " object(s)"));
                continue;
            }
            try {
                int written = namespaces.ensureNamespace(ns);
                for (ObjectNode d : docs) {
                    KubeKind kind = KubeKind.of(
                            d.path("apiVersion").asText(), d.path("kind").asText());
                    if (target.get(kind, ns, d.path("metadata").path("name").asText())
                            .isEmpty()) {
                        target.create(kind, d);
                        written++;
                    }
                }
                out.add(new ImportedTemplate(id, true, written, "created"));
            } catch (VmConfigException e) {
                out.add(new ImportedTemplate(id, false, 0, e.getMessage()));
            }
        }
        return out;
    }

    /**
     * Creates one VM's {@code documents} (dependencies first, the VM last) as an import does: an existing dependency
     * is left as it is, nothing is ever updated; returns the number of objects created.
     */
    public int create(List<ObjectNode> documents) {
        return create(documents, documents.get(documents.size() - 1));
    }

    private int create(List<ObjectNode> documents, ObjectNode vm) {
        int written = 0;
        for (ObjectNode d : documents) {
            KubeKind kind =
                    KubeKind.of(d.path("apiVersion").asText(), d.path("kind").asText());
            String ns = d.path("metadata").path("namespace").asText(null);
            if (ns != null) {
                written += namespaces.ensureNamespace(ns);
            }
            boolean isVm = VirtualMachines.KIND.equals(d.path("kind").asText());
            Optional<ObjectNode> existing = isVm
                    ? Optional.empty()
                    : target.get(kind, ns, d.path("metadata").path("name").asText());
            if (existing.isPresent()) {
                KubeApplier.refuseForeignDisk(existing.get(), d);
                continue;
            }
            target.create(kind, d == vm ? vm : d);
            written++;
        }
        return written;
    }
}
