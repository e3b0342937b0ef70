package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.sync.DrSafety;
import io.vmconfig.core.sync.DrVm;
import io.vmconfig.core.sync.SafetyRefused;
import io.vmconfig.core.sync.SiteActivation;
import io.vmconfig.core.vm.VmRef;
import java.util.Optional;

/**
 * vm-restore: a VM that came from a config-only backup goes through the DR transform with the operator's
 * VolumeMap. A VM the map cannot place fails with its claims named; it is never restored with a fresh disk.
 * Other VMs pass through unchanged.
 */
public final class VmRestoreAction {
    private final DrRestorePort dr;
    private final PluginConfigPort config;
    private final Optional<DrClusterPort> cluster;

    /** Without the DR cluster's state: the VolumeMap alone decides (tests of the transform). */
    public VmRestoreAction(DrRestorePort dr, PluginConfigPort config) {
        this(dr, config, Optional.empty());
    }

    /**
     * With the DR cluster's state, the rules of {@code vmconfig sync} ({@link DrSafety}, the one decision): a VM
     * activated, running on DR or holding a newer revision (or any VM the DR site's activation covers: every VM
     * but those failed back since, {@link SiteActivation#covers}) is skipped, a
     * same-named VM vmconfig does not manage is refused unless it is the very VM the restored one was copied from
     * (its uid is the item's {@code vmconfig.io/origin-uid}: failback adopts it, halted; Velero then updates it with
     * {@code --existing-resource-policy=update}), and the pre-flight checks the DR volumes, networks and classes.
     */
    public VmRestoreAction(DrRestorePort dr, PluginConfigPort config, Optional<DrClusterPort> cluster) {
        this.dr = dr;
        this.config = config;
        this.cluster = cluster;
    }

    public RestoreResult execute(JsonNode item, JsonNode itemFromBackup, JsonNode restore) {
        ObjectNode vm = Items.requireObject(item, "item");
        if (!ConfigOnlyOption.markedConfigOnly(itemFromBackup) && !ConfigOnlyOption.markedConfigOnly(vm)) {
            return RestoreResult.unchanged(vm);
        }
        // The stored VM keeps its source namespace, which the VolumeMap's "namespace/claim" keys refer to.
        ObjectNode source = itemFromBackup != null && itemFromBackup.isObject()
                ? Items.requireObject(itemFromBackup, "itemFromBackup")
                : vm;
        String what = Items.describe(source);
        String origin = "velero restore " + Items.metadata(restore, "name") + ", " + what;
        Optional<String> map;
        try {
            map = config.volumeMapYaml();
        } catch (VmConfigException e) {
            throw new VmConfigException(e.kind(), "cannot restore " + what + ": " + e.getMessage(), e);
        }
        String yaml = map.orElseThrow(() -> new VmConfigException(
                VmConfigException.Kind.BLOCKED,
                what + " comes from a config-only backup but no vm-restore plugin ConfigMap with volume-map.yaml"
                        + " was found, so its claims cannot be placed"));
        String restoreKey = Items.metadata(restore, "namespace") + "/" + Items.metadata(restore, "name") + "/"
                + Items.metadata(restore, "uid");
        // the site's activation as sync reads it (vmconfig-state: the flag and the VMs failed back since); when it
        // covers every VM the item is not even transformed, otherwise the VM's DR name decides (SiteActivation)
        SiteActivation site = cluster.map(DrClusterPort::site).orElse(SiteActivation.NONE);
        DrVerdict verdict = site.coversEvery()
                ? null
                : dr.restore(source.deepCopy(), yaml, cluster.map(c -> c.inventory(restoreKey)), origin);
        ObjectNode restored =
                verdict == null || verdict.isBlocked() ? null : Items.requireObject(verdict.vm(), "restored " + what);
        VmRef target = restored == null
                ? null
                : new VmRef(Items.metadata(restored, "namespace"), Items.metadata(restored, "name"));
        Optional<DrVm> current = target == null ? Optional.empty() : cluster.flatMap(c -> c.vm(target));
        // the revision vm-backup recorded on the item, read as sync reads the one applied on a DR VM; the restored
        // VM itself, whose vmconfig.io/origin-uid lets the decision adopt the original VM it was copied from
        DrSafety.Verdict safety = DrSafety.decide(new DrSafety.Facts(
                target,
                site.covers(target != null ? target : velerosName(vm)),
                current,
                new DrVm(source, false).applied(),
                Optional.ofNullable(restored),
                verdict == null || !verdict.isBlocked(),
                false));
        if (safety.outcome() == DrSafety.Outcome.SKIP) {
            return RestoreResult.skip(vm, safety.code(), safety.reason());
        }
        if (verdict.isBlocked()) {
            throw new VmConfigException(
                    VmConfigException.Kind.BLOCKED,
                    what + " cannot be restored: " + String.join("; ", verdict.blockedReasons()));
        }
        if (safety.outcome() == DrSafety.Outcome.REFUSE) {
            throw new SafetyRefused("velero restore of " + what, safety);
        }
        requireVelerosNamespace(restored, Items.metadata(source, "namespace"), Items.metadata(vm, "namespace"), what);
        cluster.ifPresent(c -> c.admitted(restoreKey, restored));
        return RestoreResult.unchanged(restored);
    }

    /**
     * The DR name Velero gives the item (its namespace after --namespace-mappings, its name): what the activation
     * is decided on when the restore could not place the VM. Null without a namespace (covered when the site is).
     */
    private static VmRef velerosName(ObjectNode vm) {
        String namespace = Items.metadata(vm, "namespace");
        String name = Items.metadata(vm, "name");
        return namespace.isEmpty() || name.isEmpty() ? null : new VmRef(namespace, name);
    }

    /**
     * Velero creates the item in its own target namespace whatever a plugin returns, so the VolumeMap's namespace
     * must agree with it; otherwise the VM would point at claims in another namespace.
     */
    private static void requireVelerosNamespace(
            ObjectNode restored, String sourceNamespace, String veleroNamespace, String what) {
        String mapped = Items.metadata(restored, "namespace");
        if (!veleroNamespace.isEmpty() && !mapped.equals(veleroNamespace)) {
            throw new VmConfigException(
                    VmConfigException.Kind.BLOCKED,
                    what + " cannot be restored: the VolumeMap"
                            + " places it in namespace " + mapped + " but Velero restores it into " + veleroNamespace
                            + "; restore with --namespace-mappings " + sourceNamespace + ":" + mapped
                            + " or map the namespace to " + veleroNamespace + " in the VolumeMap");
        }
    }
}
