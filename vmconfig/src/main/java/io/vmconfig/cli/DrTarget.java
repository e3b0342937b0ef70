package io.vmconfig.cli;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.VolumeMaps;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.sync.ReasonCodes;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.service.sync.DrSync;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the commands that restore a set into a DR cluster: plan, restore --context, sync. */
public final class DrTarget {
    @Mixin
    KubeOptions kube;

    @Option(names = "--map", paramLabel = "FILE", description = "the VolumeMap file (or --map-ref)")
    Path map;

    @Option(
            names = "--map-ref",
            paramLabel = "NAMESPACE/NAME",
            description = "a VolumeMap object on the DR cluster (deploy/crds), instead of --map FILE")
    String mapRef;

    @Option(
            names = "--set",
            paramLabel = "ID",
            defaultValue = "latest",
            description = "the set (default: ${DEFAULT-VALUE})")
    String set;

    @Option(
            names = {"--allow-rollback"},
            description = "apply revisions older than the ones applied on DR")
    boolean allowRollback;

    @Option(
            names = "--prune-deleted",
            description = "delete halted DR VMs that vmconfig wrote and whose source VM is not in the set")
    boolean pruneDeleted;

    /** Shared by restore --context and sync: how many VMs are written at once, within --qps/--burst. */
    static final String PARALLEL_HELP = "VMs applied at once, all within --qps/--burst; 1 applies one after another"
            + " (default: ${DEFAULT-VALUE})";

    @Option(
            names = {"--parallel", "--concurrency"},
            defaultValue = "8",
            paramLabel = "N",
            description = PARALLEL_HELP)
    int parallel;

    DrSync sync(KubeCluster dr, Supplier<UUID> uuids, Clock clock, boolean rollback) {
        DrSync sync = new DrSync(
                dr, kube.stateNamespace(), clock, new DrRestore(volumeMap(dr), uuids), allowRollback || rollback);
        sync.concurrency(parallel);
        return sync;
    }

    /** The VolumeMap from --map FILE or --map-ref NAMESPACE/NAME (exactly one). */
    VolumeMap volumeMap(KubeCluster dr) {
        if ((map == null) == (mapRef == null)) {
            throw VmConfigException.config(
                    "give the VolumeMap as --map FILE or --map-ref NAMESPACE/NAME (one of them)");
        }
        return map != null
                ? RestoreCommand.readMap(map)
                : VolumeMaps.read(
                        dr, ClusterCommand.targets(false, List.of(mapRef)).get(0));
    }

    /**
     * 0 when everything was applied or is in step (skipped VMs included), 3 on integrity, 1 when a VM was blocked or
     * failed to apply, 5 when an older revision was refused (at plan or by the applier's guard). Read from the plans'
     * actions and reason codes only, never from messages.
     */
    static int exitCode(DrSync.Report r, DrSync.Applied applied) {
        if (r.integrityFailure()) {
            return ExitCodes.INTEGRITY;
        }
        boolean blocked = r.plans().stream().anyMatch(p -> p.action() == SyncAction.BLOCKED)
                || (applied != null
                        && applied.failures().size() > applied.refusedCodes().size());
        if (blocked) {
            return ExitCodes.PARTIAL;
        }
        List<String> codes = new ArrayList<>();
        r.plans().stream().filter(p -> p.action() == SyncAction.SKIPPED).forEach(p -> codes.addAll(p.codes()));
        if (applied != null) {
            codes.addAll(applied.refusedCodes());
        }
        return codes.stream().mapToInt(DrTarget::exitOf).max().orElse(ExitCodes.OK);
    }

    /**
     * What a DR-safety reason code means to a script: a refused rollback is a refusal (5); a VM left alone because
     * it is activated or running is the steady state of an activated site (0); anything else stopped a write (1).
     */
    static int exitOf(String code) {
        return switch (code) {
            case ReasonCodes.OLDER_REVISION -> ExitCodes.REFUSED;
            case ReasonCodes.ACTIVATED, ReasonCodes.VM_ACTIVATED, ReasonCodes.RUNNING, ReasonCodes.UNCHANGED ->
                ExitCodes.OK;
            default -> ExitCodes.PARTIAL;
        };
    }
}
