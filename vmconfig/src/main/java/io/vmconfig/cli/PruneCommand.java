package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.PrunePlan;
import io.vmconfig.core.repo.PrunePolicy;
import io.vmconfig.core.repo.Pruner;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmconfig prune}: retention, then mark-and-sweep of unreferenced objects with a grace period. */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        header = "Drops sets beyond the retention and then, in two safe phases, the objects no kept set needs.",
        description = {
            "Drops sets beyond the retention, and deletes objects no kept set names once they have been",
            "unreferenced for the grace period in two runs (repository-format.md §9). Safe while a backup runs.",
            "Only sets that verify against --verify-key count; any other file under sets/ is named (exit 3),",
            "never counted and never deleted, and the objects it names are kept."
        })
public final class PruneCommand extends RepoReadCommand {
    @Option(
            names = "--keep-last",
            defaultValue = "10",
            paramLabel = "N",
            description = "always keep the newest N verified sets (at least 1; default: ${DEFAULT-VALUE})")
    int keepLast;

    @Option(
            names = "--keep-within",
            defaultValue = "30d",
            paramLabel = "AGE",
            description = "also keep every set younger than AGE, e.g. 30d or 12h (default: ${DEFAULT-VALUE})")
    String keepWithin;

    @Option(
            names = "--grace",
            defaultValue = "24h",
            paramLabel = "AGE",
            description = "at least 2 × the repository's maxRunSeconds (default: ${DEFAULT-VALUE})")
    String grace;

    @Option(names = "--dry-run", description = "show the plan, delete nothing")
    boolean dryRun;

    public PruneCommand(RepoEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() {
        if (repo.insecureSkipVerify) {
            throw io.vmconfig.core.VmConfigException.config("prune deletes only what sets verified against "
                    + "--verify-key no longer need; it does not run with --insecure-skip-verify");
        }
        PrunePolicy policy = new PrunePolicy(
                keepLast, Durations.parse(keepWithin, "--keep-within"), Durations.parse(grace, "--grace"));
        PrunePlan plan = new Pruner(repo.reader(env), env.clock()).prune(policy, dryRun);
        PrintWriter out = out();
        ObjectNode tree = Json.object()
                .put("dryRun", dryRun)
                .put("keptSets", plan.keptSets().size())
                .put("markedSets", plan.pendingSets().size())
                .put("markedObjects", plan.pendingObjects().size());
        plan.deleteSets().forEach(s -> tree.withArray("deletedSets").add(s.value()));
        plan.deleteObjects().forEach(o -> tree.withArray("deletedObjects").add(o));
        plan.problems()
                .forEach(p -> tree.withArray("problems")
                        .addObject()
                        .put("object", p.object())
                        .put("problem", p.message()));
        if (!Emit.structured(out, output, tree)) {
            plan.problems()
                    .forEach(p -> out.println(
                            "UNVERIFIED " + p.object() + ": " + p.message() + " (not counted, not deleted)"));
            String verb = dryRun ? "would delete" : "deleted";
            out.println("kept " + plan.keptSets().size() + " sets; " + verb + " "
                    + plan.deleteSets().size()
                    + " sets and " + plan.deleteObjects().size() + " objects; marked for a later run: "
                    + plan.pendingSets().size() + " sets, "
                    + plan.pendingObjects().size() + " objects");
        }
        return plan.problems().isEmpty() ? ExitCodes.OK : ExitCodes.INTEGRITY;
    }
}
