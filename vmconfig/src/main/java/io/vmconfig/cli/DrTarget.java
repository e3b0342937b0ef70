package io.vmconfig.cli;

import io.vmconfig.adapters.kube.DrSync;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the commands that restore a set into a DR cluster: plan, restore --context, sync. */
public final class DrTarget {
    @Mixin
    KubeOptions kube;

    @Option(names = "--map", required = true, paramLabel = "FILE", description = "the VolumeMap")
    Path map;

    @Option(names = "--set", paramLabel = "ID", defaultValue = "latest", description = "the set (default: ${DEFAULT-VALUE})")
    String set;

    @Option(names = {"--allow-rollback"}, description = "apply revisions older than the ones applied on DR")
    boolean allowRollback;

    @Option(names = "--prune-deleted",
            description = "delete halted DR VMs that vmconfig wrote and whose source VM is not in the set")
    boolean pruneDeleted;

    DrSync sync(KubeCluster dr, Supplier<UUID> uuids, Clock clock, boolean rollback) {
        return new DrSync(dr, kube.activation(dr, clock), new DrRestore(RestoreCommand.readMap(map), uuids),
                allowRollback || rollback);
    }

    /** 0 when everything was applied or is in sync, 3 on integrity, 5 when an older revision was refused, else 1. */
    static int exitCode(DrSync.Report r, DrSync.Applied applied) {
        if (r.integrityFailure()) {
            return ExitCodes.INTEGRITY;
        }
        boolean blocked = r.plans().stream().anyMatch(p -> p.action() == SyncAction.BLOCKED)
                || (applied != null && !applied.failures().isEmpty());
        if (blocked) {
            return ExitCodes.PARTIAL;
        }
        return r.plans().stream().anyMatch(DrTarget::olderRefused) ? ExitCodes.REFUSED : ExitCodes.OK;
    }

    private static boolean olderRefused(VmPlan p) {
        return p.action() == SyncAction.SKIPPED && p.codes().contains(io.vmconfig.core.sync.ReasonCodes.OLDER_REVISION);
    }
}
