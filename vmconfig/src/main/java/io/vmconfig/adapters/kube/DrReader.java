package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.sync.DrState;
import io.vmconfig.core.sync.DrVm;
import io.vmconfig.core.sync.DrVms;
import io.vmconfig.core.sync.SiteActivation;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the DR side: its VMs (and which have a VMI), the activation state, and the pre-flight inventory. */
public final class DrReader {
    private final KubeCluster dr;
    private final ActivationState activation;

    public DrReader(KubeCluster dr, ActivationState activation) {
        this.dr = dr;
        this.activation = activation;
    }

    /** Every VM on DR (all namespaces: a sync may map namespaces), with its VMI's existence. */
    public DrState state(List<ObjectNode> vms) {
        Set<VmRef> instances = new HashSet<>();
        eachInstance(instances::add);
        Map<VmRef, DrVm> out = new HashMap<>();
        for (ObjectNode vm : vms) {
            DrVm d = new DrVm(vm, false);
            out.put(d.ref(), new DrVm(vm, instances.contains(d.ref())));
        }
        return new DrState(out, activation.site());
    }

    /** What a pass knows of DR: the pre-flight inventory and the VMs' state, both kept small. */
    public record Scan(DrInventory inventory, DrState state) {}

    /**
     * One read of the DR side for a pass, page by page: each VM goes into the inventory (which claims it uses) and
     * into the compact {@link DrVms}, then the other pre-flight kinds and the VMIs; no list is held whole, so a pass
     * keeps a few hundred bytes per DR VM (docs/architecture.md, "Memory").
     */
    public Scan scan() {
        DrInventory.Builder inventory = new DrInventory.Builder();
        DrVms.Builder vms = new DrVms.Builder();
        dr.listEach(KubeKind.VM, null, null, vm -> {
            inventory.add(vm);
            vms.add(vm);
        });
        eachInventoryObject(inventory::add);
        eachInstance(vms::instance);
        return new Scan(inventory.build(), new DrState(vms.build(), activation.site()));
    }

    public List<ObjectNode> vms() {
        return dr.list(KubeKind.VM, null, null);
    }

    /** PVCs, NADs, storage classes, cluster instancetypes and preferences, and the VMs using each PVC. */
    public DrInventory inventory(List<ObjectNode> vms) {
        return DrInventory.of(inventoryObjects(vms));
    }

    /** The objects {@link #inventory} is made of: {@code vms} and one list of each pre-flight kind. */
    public List<ObjectNode> inventoryObjects(List<ObjectNode> vms) {
        List<ObjectNode> objects = new ArrayList<>(vms);
        eachInventoryObject(objects::add);
        return objects;
    }

    /** Each object of the pre-flight kinds other than VMs (one paged list each) and the VM CRD, as they come. */
    private void eachInventoryObject(java.util.function.Consumer<ObjectNode> each) {
        for (KubeKind k : List.of(
                KubeKind.PVC,
                KubeKind.NAD,
                KubeKind.STORAGE_CLASS,
                KubeKind.CLUSTER_INSTANCETYPE,
                KubeKind.CLUSTER_PREFERENCE)) {
            dr.listEach(k, null, null, each);
        }
        vmCrd().ifPresent(each);
    }

    /** Each VM that has a VirtualMachineInstance on DR, by the VMI's namespace and name. */
    private void eachInstance(java.util.function.Consumer<VmRef> each) {
        dr.listEach(
                KubeKind.VMI,
                null,
                null,
                vmi -> each.accept(new VmRef(
                        vmi.path("metadata").path("namespace").asText(),
                        vmi.path("metadata").path("name").asText())));
    }

    /** One DR VM as it is now (a GET of the VM and of its VMI), or empty. */
    public java.util.Optional<DrVm> vm(VmRef ref) {
        return dr.get(KubeKind.VM, ref.namespace(), ref.name())
                .map(vm -> new DrVm(
                        vm, dr.get(KubeKind.VMI, ref.namespace(), ref.name()).isPresent()));
    }

    /** The site's activation and the VMs failed back since, as {@link #state} reads it. */
    public SiteActivation site() {
        return activation.site();
    }

    /**
     * The VirtualMachine CRD the DR cluster serves, so that a VM its API server would prune or refuse is blocked
     * before it is written. A cluster that does not let vmconfig read CRDs gives none: the webhook rules still hold.
     */
    private Optional<ObjectNode> vmCrd() {
        try {
            return dr.get(KubeKind.CRD, null, DrInventory.VM_CRD);
        } catch (VmConfigException e) {
            return Optional.empty();
        }
    }
}
