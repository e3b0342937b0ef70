package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.repo.Snapshots;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.core.vm.DependencyRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * vm-backup's capture of a live VM, as {@code vmconfig backup} builds it (the same export, so the same bytes and
 * the same dedup): the VM is filtered once, the carried dependencies it names and its PVCs (for the claim records)
 * are fetched as one batch (the plugin's adapter reads a batch concurrently: an Execute waits for its slowest read,
 * not for the sum of them), and the one result is both the item Velero stores and the bundle the repository stores.
 */
public final class VmBundles {
    /** Reads one object from the cluster; empty when it does not exist. */
    @FunctionalInterface
    public interface Fetch {
        Optional<ObjectNode> get(String apiVersion, String kind, String namespace, String name);

        /** Each of {@code wanted}, answers in the same order; this default reads them one after the other. */
        default List<Optional<ObjectNode>> getAll(List<Wanted> wanted) {
            return wanted.stream()
                    .map(w -> get(w.apiVersion(), w.kind(), w.namespace(), w.name()))
                    .toList();
        }
    }

    /** One object {@link Fetch#getAll} reads. */
    public record Wanted(String apiVersion, String kind, String namespace, String name) {}

    private VmBundles() {}

    /** The capture port vm-backup runs, reading through {@code fetch}. */
    public static VmCapturePort capture(Fetch fetch) {
        return (vm, origin) -> capture(vm, origin, fetch);
    }

    static CapturedVm capture(ObjectNode vm, String origin, Fetch fetch) {
        ConfigOnlyVm c = ConfigOnlyFilter.filter(vm, origin);
        List<ResourceRef> refs = new ArrayList<>();
        List<Wanted> wanted = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (DependencyRef d : c.dependencies()) {
            if (d.carried()) {
                String ns = d.namespace() == null ? c.ref().namespace() : d.namespace();
                refs.add(ResourceNames.of(d.apiVersion(), d.kind(), d.namespace(), d.name()));
                wanted.add(new Wanted(d.apiVersion(), d.kind(), ns, d.name()));
                sources.add(d.toString());
            }
        }
        for (ClaimRecord r : c.claims()) {
            if (r.source() != ClaimSource.BACKEND_STORAGE && r.claimName() != null) {
                wanted.add(new Wanted("v1", "PersistentVolumeClaim", c.ref().namespace(), r.claimName()));
                sources.add("PersistentVolumeClaim " + r.claimName());
            }
        }
        List<Optional<ObjectNode>> found = wanted.isEmpty() ? List.of() : fetch.getAll(wanted);
        List<SourcedObject> related = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            String source = sources.get(i);
            found.get(i).ifPresent(o -> related.add(new SourcedObject(source, o)));
        }
        VmResult result = ExportBatch.exportFiltered(c, origin, related);
        if (!result.ok()) {
            throw VmConfigException.invalid("cannot build the bundle of " + origin + ": " + result.details());
        }
        return new CapturedVm(Snapshots.of(result), refs);
    }
}
