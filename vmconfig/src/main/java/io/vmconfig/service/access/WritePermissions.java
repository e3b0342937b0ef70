package io.vmconfig.service.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeAccess;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.access.Permission;
import io.vmconfig.core.access.RequiredPermissions;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.service.sync.DrSync;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The permission pre-flight of each command that writes to a cluster, wired: the permissions are computed from the
 * plan ({@link RequiredPermissions}, pure), asked of the API server ({@link KubeAccess}) and refused as a whole
 * ({@link PermissionPreflight}, exit code 6, ExitCodes.FORBIDDEN) before the first write. Each returns the
 * caller's user name.
 */
public final class WritePermissions {
    private WritePermissions() {}

    private static RequiredPermissions required(KubeAccess access) {
        return new RequiredPermissions(KubeAccess::resource, access::namespaceExists);
    }

    /** The check; once passed, every write of {@code cluster} carries the user and its time (audit trail). */
    private static String check(
            KubeCluster cluster, KubeAccess access, String action, List<Permission> needed, Clock clock) {
        String user = PermissionPreflight.require(access, action, cluster.name(), needed);
        cluster.audit(user, clock);
        return user;
    }

    /** {@code restore --context}: every report is checked before it is applied. */
    public static void beforeRestore(KubeCluster dr, DrSync sync, Clock clock) {
        KubeAccess access = new KubeAccess(dr);
        sync.beforeWriting(r -> check(
                dr,
                access,
                "restore --context",
                required(access).toApply(r.plans()).list(),
                clock));
    }

    /**
     * {@code sync}: the first pass's plan is checked before it is applied, and later passes only for what they need
     * beyond what was granted (a new namespace or kind in a new set), so an unchanged set asks nothing again.
     */
    public static void beforeSync(
            KubeCluster dr, DrSync sync, String stateNamespace, boolean leaderElect, boolean events, Clock clock) {
        KubeAccess access = new KubeAccess(dr);
        Set<Permission> granted = new HashSet<>();
        sync.beforeWriting(r -> {
            List<Permission> needed = required(access)
                    .toApply(r.plans())
                    .toRunController(stateNamespace, leaderElect, events, r.plans())
                    .list()
                    .stream()
                    .filter(p -> !granted.contains(p))
                    .toList();
            if (!needed.isEmpty()) {
                check(dr, access, "sync", needed, clock);
                granted.addAll(needed);
            }
        });
    }

    /** {@code import}: the VMs that restored and their dependencies, read and created. */
    public static String beforeImport(KubeCluster target, List<VmResult> results, Clock clock) {
        KubeAccess access = new KubeAccess(target);
        return check(
                target, access, "import", required(access).toImport(results).list(), clock);
    }

    /** {@code import --templates}: every object read and created. */
    public static String beforeImportObjects(KubeCluster target, List<ObjectNode> objects, Clock clock) {
        KubeAccess access = new KubeAccess(target);
        return check(
                target, access, "import", required(access).toCreate(objects).list(), clock);
    }

    /** {@code activate}: the state ConfigMap and the VMs ({@code vms} empty: every managed VM). */
    public static String beforeActivate(KubeCluster dr, String stateNamespace, List<VmRef> vms, Clock clock) {
        return beforeMarking(dr, "activate", stateNamespace, vms, clock);
    }

    /** {@code deactivate}: as activate (the same marks and state are written back). */
    public static String beforeDeactivate(KubeCluster dr, String stateNamespace, List<VmRef> vms, Clock clock) {
        return beforeMarking(dr, "deactivate", stateNamespace, vms, clock);
    }

    private static String beforeMarking(
            KubeCluster dr, String action, String stateNamespace, List<VmRef> vms, Clock clock) {
        KubeAccess access = new KubeAccess(dr);
        return check(
                dr,
                access,
                action,
                required(access).toActivate(stateNamespace, vms).list(),
                clock);
    }
}
