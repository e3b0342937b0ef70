package io.vmconfig.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.vm.DependencyRef;
import io.vmconfig.core.vm.VirtualMachines;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link ExportBatch} over an input read a part at a time, in memory bounded by the largest part plus a small index,
 * whatever the number of VMs (docs/architecture.md, "Memory"). {@link #index} reads every part once and keeps only
 * where things are: which part holds the first object of each kind, namespace and name a VM may need (PVCs and the
 * carried dependency kinds), which VMs appear more than once, and the VMIs. {@link #forEach} then reads the parts
 * again in order and exports the VMs of each, fetching a dependency from another part (one part kept at a time)
 * when it lies there. The results are those {@link ExportBatch#run} gives for the same objects, in the same order:
 * a VM that appears more than once fails (every copy), and a VMI whose VM is not in the input is reported, last.
 */
public final class ExportStream {
    private final ObjectSource source;
    /** kind|namespace|name of each object a VM may need to the first part holding it. */
    private final Map<String, Integer> where;
    /** namespace/name of each VM to the part of its first copy. */
    private final Map<String, Integer> vms;
    /** namespace/name to every origin, for the VMs that appear more than once. */
    private final Map<String, List<String>> duplicates;
    /** VMIs in input order: reported unless their VM is in the input. */
    private final List<Map.Entry<String, VmRef>> runtimeOnly;

    private int cachedPart = -1;
    private ObjectIndex cached;

    private ExportStream(
            ObjectSource source,
            Map<String, Integer> where,
            Map<String, Integer> vms,
            Map<String, List<String>> duplicates,
            List<Map.Entry<String, VmRef>> runtimeOnly) {
        this.source = source;
        this.where = where;
        this.vms = vms;
        this.duplicates = duplicates;
        this.runtimeOnly = runtimeOnly;
    }

    /** Reads every part once and keeps where the objects are. */
    public static ExportStream index(ObjectSource source) {
        Map<String, Integer> where = new HashMap<>();
        Map<String, Integer> vms = new HashMap<>();
        Map<String, List<String>> duplicates = new LinkedHashMap<>();
        List<Map.Entry<String, VmRef>> runtimeOnly = new ArrayList<>();
        for (int p = 0; p < source.parts(); p++) {
            for (SourcedObject o : source.read(p)) {
                String kind = o.kind();
                if (VirtualMachines.KIND.equals(kind)) {
                    String key = o.namespace() + "/" + o.name();
                    Integer first = vms.putIfAbsent(key, p);
                    if (first != null) {
                        duplicates.computeIfAbsent(key, k -> new ArrayList<>()).add(o.origin());
                    }
                } else if (ObjectIndex.RUNTIME_KIND.equals(kind)) {
                    runtimeOnly.add(Map.entry(
                            o.origin(),
                            Optional.ofNullable(ObjectIndex.refOf(o)).orElse(new VmRef("", ""))));
                } else if ("PersistentVolumeClaim".equals(kind) || DependencyRef.carried(kind)) {
                    where.putIfAbsent(ObjectIndex.key(kind, o.namespace(), o.name()), p);
                }
            }
        }
        // a duplicate's first copy: its origin is read again from its part, so that the index keeps no origins
        for (Map.Entry<String, List<String>> d : duplicates.entrySet()) {
            for (SourcedObject o : source.read(vms.get(d.getKey()))) {
                if (VirtualMachines.KIND.equals(o.kind()) && d.getKey().equals(o.namespace() + "/" + o.name())) {
                    d.getValue().add(0, o.origin());
                    break;
                }
            }
        }
        return new ExportStream(source, where, vms, duplicates, runtimeOnly);
    }

    /** How many VM objects the input holds (a duplicate counts once per copy). */
    public int vmCount() {
        return vms.size()
                + duplicates.values().stream().mapToInt(l -> l.size() - 1).sum();
    }

    /** Exports every VM, part by part, handing each result to {@code out}; may be called again. */
    public void forEach(Consumer<VmResult> out) {
        for (int p = 0; p < source.parts(); p++) {
            int part = p;
            ObjectIndex[] here = new ObjectIndex[1];
            here[0] = new ObjectIndex(source.read(p), (kind, ns, name) -> find(part, here[0], kind, ns, name));
            for (SourcedObject o : here[0].vms) {
                out.accept(ObjectIndex.eachVm(o, duplicates, v -> ExportBatch.export(v, here[0], ExportBatch.Form.VM)));
            }
        }
        for (Map.Entry<String, VmRef> vmi : runtimeOnly) {
            VmRef ref = vmi.getValue().name().isEmpty() ? null : vmi.getValue();
            if (ref == null || !vms.containsKey(ref.toString())) {
                out.accept(ObjectIndex.notADefinition(vmi.getKey(), ref));
            }
        }
    }

    private Optional<JsonNode> find(int part, ObjectIndex here, String kind, String ns, String name) {
        Integer at = where.get(ObjectIndex.key(kind, ns, name));
        if (at == null) {
            return Optional.empty();
        }
        if (at == part) {
            return here.findHere(kind, ns, name);
        }
        if (cachedPart != at) {
            cached = new ObjectIndex(source.read(at));
            cachedPart = at;
        }
        return cached.findHere(kind, ns, name);
    }
}
