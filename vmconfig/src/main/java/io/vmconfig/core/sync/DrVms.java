package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The VMs of a DR cluster as a pass reads them once (a paged list), held the way an informer cache would but small:
 * each VM is kept as the fields sync decides by (metadata without managedFields and kubectl's last-applied copy,
 * spec, status.printableStatus), serialised and deflated, and turned back into a {@link DrVm} only when looked up.
 * A pass over a set of 100,000 VMs then holds a few hundred bytes per DR VM instead of its tree (docs/architecture.md,
 * "Memory"). Immutable; lookups parse a fresh tree each time.
 */
public final class DrVms extends AbstractMap<VmRef, DrVm> {
    private final Map<VmRef, byte[]> packed;
    private final Set<VmRef> instances;

    private DrVms(Map<VmRef, byte[]> packed, Set<VmRef> instances) {
        this.packed = Map.copyOf(packed);
        this.instances = Set.copyOf(instances);
    }

    /** Collects VMs and the VMIs that exist, in any order. */
    public static final class Builder {
        private final Map<VmRef, byte[]> packed = new HashMap<>();
        private final Set<VmRef> instances = new HashSet<>();

        public Builder add(ObjectNode vm) {
            VmRef ref = new VmRef(
                    vm.path("metadata").path("namespace").asText(),
                    vm.path("metadata").path("name").asText());
            packed.put(ref, pack(kept(vm), ref));
            return this;
        }

        /** A VirtualMachineInstance of {@code ref} exists. */
        public Builder instance(VmRef ref) {
            instances.add(ref);
            return this;
        }

        public DrVms build() {
            return new DrVms(packed, instances);
        }
    }

    /** What sync reads of a DR VM (a copy): the rest (status, managedFields, last-applied) is dropped. */
    static ObjectNode kept(ObjectNode vm) {
        ObjectNode out = Json.object();
        out.set("apiVersion", vm.path("apiVersion").deepCopy());
        out.set("kind", vm.path("kind").deepCopy());
        if (vm.path("metadata").isObject()) {
            ObjectNode meta = ((ObjectNode) vm.get("metadata")).deepCopy();
            meta.remove("managedFields");
            if (meta.path("annotations").isObject()) {
                ((ObjectNode) meta.get("annotations")).remove(Annotations.KUBECTL_LAST_APPLIED);
            }
            out.set("metadata", meta);
        }
        if (vm.has("spec")) {
            out.set("spec", vm.get("spec").deepCopy());
        }
        JsonNode status = vm.path("status").path("printableStatus");
        if (!status.isMissingNode()) {
            Json.ensureObject(out, "status").set("printableStatus", status.deepCopy());
        }
        return out;
    }

    private static byte[] pack(ObjectNode vm, VmRef ref) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, deflater)) {
            Json.mapper().writeValue(out, vm);
        } catch (IOException e) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTERNAL, "cannot keep DR VirtualMachine " + ref + " for the pass", e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    private DrVm unpack(VmRef ref, byte[] data) {
        try (InputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(data))) {
            return new DrVm((ObjectNode) Json.mapper().readTree(in), instances.contains(ref));
        } catch (IOException e) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTERNAL,
                    "cannot read back DR VirtualMachine " + ref + " kept for the pass",
                    e);
        }
    }

    @Override
    public DrVm get(Object key) {
        byte[] data = packed.get(key);
        return data == null ? null : unpack((VmRef) key, data);
    }

    @Override
    public boolean containsKey(Object key) {
        return packed.containsKey(key);
    }

    @Override
    public int size() {
        return packed.size();
    }

    /** Bytes held for the VMs (what the pass keeps of the DR cluster; the benchmark prints it). */
    public long packedBytes() {
        return packed.values().stream().mapToLong(b -> b.length).sum();
    }

    /** A view that unpacks each VM as the iteration reaches it: one tree at a time. */
    @Override
    public Set<Map.Entry<VmRef, DrVm>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<VmRef, DrVm>> iterator() {
                Iterator<Map.Entry<VmRef, byte[]>> it = packed.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<VmRef, DrVm> next() {
                        Map.Entry<VmRef, byte[]> e = it.next();
                        return new SimpleImmutableEntry<>(e.getKey(), unpack(e.getKey(), e.getValue()));
                    }
                };
            }

            @Override
            public int size() {
                return packed.size();
            }
        };
    }
}
