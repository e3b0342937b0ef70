package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.repo.Snapshots;
import io.vmconfig.core.repo.VmSnapshot;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.core.vm.DependencyRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A live VM's bundle as {@code vmconfig backup} builds it (the same export batch, so the same bytes and the same
 * dedup): the VM, the carried dependencies it names and its PVCs (for the claim records), fetched one by one.
 */
public final class VmBundles {
    /** Reads one object from the cluster; empty when it does not exist. */
    @FunctionalInterface
    public interface Fetch {
        Optional<ObjectNode> get(String apiVersion, String kind, String namespace, String name);
    }

    private VmBundles() {}

    public static VmSnapshot snapshot(ObjectNode vm, String origin, Fetch fetch) {
        ConfigOnlyVm c = ConfigOnlyFilter.filter(vm.deepCopy(), origin);
        List<SourcedObject> objects = new ArrayList<>();
        objects.add(new SourcedObject(origin, vm));
        for (DependencyRef d : c.dependencies()) {
            if (d.carried()) {
                String ns = d.namespace() == null ? c.ref().namespace() : d.namespace();
                fetch.get(d.apiVersion(), d.kind(), ns, d.name())
                        .ifPresent(o -> objects.add(new SourcedObject(d.toString(), o)));
            }
        }
        for (ClaimRecord r : c.claims()) {
            if (r.source() != ClaimSource.BACKEND_STORAGE && r.claimName() != null) {
                fetch.get("v1", "PersistentVolumeClaim", c.ref().namespace(), r.claimName())
                        .ifPresent(o -> objects.add(new SourcedObject("PersistentVolumeClaim " + r.claimName(), o)));
            }
        }
        List<VmResult> results = ExportBatch.run(objects);
        List<VmSnapshot> snapshots = Snapshots.fromExport(results);
        if (snapshots.size() != 1) {
            throw VmConfigException.invalid("cannot build the bundle of " + origin + ": " + results.stream()
                    .flatMap(r -> r.details().stream()).toList());
        }
        return snapshots.get(0);
    }
}
