package io.vmconfig.cli;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.service.sync.DrSync;
import java.util.UUID;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vmconfig plan}: what a restore of a set into the DR cluster would do, per VM. Writes nothing. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        header = "Shows, per VM, what a restore into the DR cluster would do, without writing anything.",
        description = {
            "Shows per VM what 'restore --context' would do: create, update (with a diff), unchanged,",
            "blocked (every reason) or skipped (running on DR, DR activated, older revision). Writes nothing."
        })
public final class PlanCommand extends RepoReadCommand {
    private final KubeConnector connector;
    private final Supplier<UUID> uuids;

    @Mixin
    DrTarget target;

    public PlanCommand(RepoEnvironment env, KubeConnector connector, Supplier<UUID> uuids) {
        super(env);
        this.connector = connector;
        this.uuids = uuids;
    }

    @Override
    public Integer call() {
        try (KubeCluster dr = target.kube.connect(connector)) {
            // the streamed pass, first walk only: a plan of any size holds one chunk of the set at a time
            DrSync.Report r = target.sync(dr, uuids, env.clock(), false)
                    .run(
                            repo.reader(env),
                            target.set,
                            target.pruneDeleted,
                            true,
                            new ProgressPrinter(spec.commandLine().getErr()))
                    .report();
            PlanPrinter.print(out(), output, r, null);
            return DrTarget.exitCode(r, null);
        }
    }
}
