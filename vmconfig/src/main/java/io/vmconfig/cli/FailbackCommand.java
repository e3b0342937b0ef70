package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Printable;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.sync.ReasonCodes;
import io.vmconfig.service.activation.Activator;
import io.vmconfig.service.failback.Failback;
import io.vmconfig.service.failback.FailbackLauncher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmconfig failback}: production brought back in line with what DR runs, in one resumable command. */
@Command(
        name = "failback",
        mixinStandardHelpOptions = true,
        header = "Brings production back in line with the DR site after a failover: DR's VMs, halted, onto production.",
        description = {
            "Backs up the DR VMs vmconfig manages (DR as the source cluster) into the failback repository, inverts",
            "the VolumeMap (or takes --reverse-map), and restores the set onto production, halted: the original",
            "production VMs are adopted by their recorded uid (reason code ADOPTED), never duplicated, and the trace",
            "names DR as the source. With --activate it then gives production's VMs their run strategy back and",
            "hands DR's copies back to sync (deactivate); the DR VMs must be stopped first.",
            "",
            "Nothing is written until everything was read and decided: a running production VM, a foreign VM in the",
            "way or a VM that cannot be restored stops the run with its reasons (exit 5 or 1), and the permissions",
            "of every write are checked on both clusters first (exit 6). A run that stopped half-way is finished by",
            "running it again. Exit codes: 0 done, 1 some VMs blocked or not written, 2 usage, 3 integrity, 4 a",
            "cluster or the repository unreachable, 5 refused by a safety rule, 6 permissions missing.",
            "",
            "Each side is reached like kubectl: --from-context (DR) and --to-context (production) in one",
            "--kubeconfig file, or each in a file of its own (--from-kubeconfig, --to-kubeconfig).",
        },
        footer = {
            "",
            "Examples:",
            "  # what it would do",
            "  vmconfig failback --from-context dr --to-context prod --repo s3://bucket/failback \\",
            "      --signing-key keys/signing.key --key keys/repository.key --map volume-map.yaml --dry-run",
            "  # restore halted now; after stopping DR's VMs in the maintenance window, switch sites",
            "  vmconfig failback ... --map volume-map.yaml",
            "  vmconfig failback ... --map volume-map.yaml --activate",
            "  # each site's credentials in a kubeconfig file of their own",
            "  vmconfig failback --from-kubeconfig dr.kubeconfig --from-context dr \\",
            "      --to-kubeconfig prod.kubeconfig --to-context prod ..."
        })
public final class FailbackCommand implements Callable<Integer> {
    private final FailbackLauncher launcher;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    TwoSidedKubeOptions sides;

    @Option(
            names = "--repo",
            required = true,
            paramLabel = "URL",
            description = "the failback repository (or prefix), initialised with 'repo init': a folder or s3://...")
    String repo;

    @Option(names = "--signing-key", required = true, paramLabel = "FILE", description = "Ed25519 private key")
    Path signingKey;

    @Option(names = "--key", paramLabel = "FILE", description = "repository key: encrypts bundles with Secret data")
    Path key;

    /** The map: the forward one, inverted here, or the reverse one written by hand. */
    static final class MapChoice {
        @Option(
                names = "--map",
                required = true,
                paramLabel = "FILE",
                description = "the VolumeMap used for failover (production onto DR), inverted: it must be one-to-one")
        Path forward;

        @Option(
                names = "--reverse-map",
                required = true,
                paramLabel = "FILE",
                description = "a VolumeMap from DR onto production, used as it is (when --map does not invert)")
        Path reverse;
    }

    @ArgGroup(multiplicity = "1")
    MapChoice map;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "only DR VMs of this namespace (default: every namespace)")
    String namespace;

    @Option(
            names = {"-l", "--selector"},
            paramLabel = "SELECTOR",
            description = "only DR VMs matching this label selector")
    String selector;

    @Option(
            names = "--source-cluster",
            paramLabel = "NAME",
            description = "the source cluster recorded in the set (default: the --from-context name)")
    String sourceCluster;

    @Option(names = "--dry-run", description = "read and decide everything, print the plan, write nothing")
    boolean dryRun;

    @Option(
            names = "--activate",
            description = "after the restore, start production's VMs (their original run strategy) and deactivate"
                    + " their DR copies, which must be stopped")
    boolean activate;

    @Option(
            names = {"--parallel", "--concurrency"},
            defaultValue = "8",
            paramLabel = "N",
            description = DrTarget.PARALLEL_HELP)
    int parallel;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            paramLabel = "FORMAT",
            description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    public FailbackCommand(FailbackLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Integer call() {
        sides.requireTwoSides();
        if (parallel < 1) {
            throw VmConfigException.config("--parallel must be at least 1, not " + parallel);
        }
        boolean reverse = map.reverse != null;
        Path file = reverse ? map.reverse : map.forward;
        VolumeMap volumeMap = RestoreCommand.readMap(file);
        Failback.Request request = new Failback.Request(
                namespace,
                selector,
                volumeMap,
                reverse,
                file.toString(),
                sourceCluster,
                KeyFiles.privateKey(signingKey),
                Optional.ofNullable(key).map(KeyFiles::repositoryKey),
                dryRun,
                activate,
                parallel,
                sides.stateNamespace(),
                sides.stateNamespace());
        PrintWriter err = spec.commandLine().getErr();
        Failback.Result r = launcher.run(sides.from(), sides.to(), repo, request, new Failback.Listener() {
            private final Progress progress = new ProgressPrinter(err);

            @Override
            public void step(String name, String message) {
                err.println("failback: " + name + ": " + Printable.escape(message));
                err.flush();
            }

            @Override
            public Progress progress() {
                return progress;
            }
        });
        print(spec.commandLine().getOut(), r);
        return exitCode(r);
    }

    /**
     * 0 when the run did what was asked (a dry run included), 1 when VMs are blocked or writes failed (run again),
     * 5 when a safety rule stopped it: read from the outcome and the reason codes, never from messages.
     */
    static int exitCode(Failback.Result r) {
        return switch (r.outcome()) {
            case PLANNED, RESTORED, ACTIVATED -> ExitCodes.OK;
            case INCOMPLETE -> ExitCodes.PARTIAL;
            case REFUSED -> r.codes().stream().anyMatch(SAFETY::contains) ? ExitCodes.REFUSED : ExitCodes.PARTIAL;
        };
    }

    /** Reason codes that mean a safety rule said no (as opposed to a VM that cannot be restored as it is). */
    private static final Set<String> SAFETY =
            Set.of(ReasonCodes.RUNNING, ReasonCodes.ACTIVATED, ReasonCodes.OLDER_REVISION, ReasonCodes.UNMANAGED_VM);

    private void print(PrintWriter out, Failback.Result r) {
        ObjectNode t = Json.object();
        t.put("from", r.drCluster());
        t.put("to", r.prodCluster());
        t.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
        t.put("message", r.message());
        t.put("dryRun", dryRun);
        r.codes().forEach(c -> t.withArray("codes").add(c));
        t.put("mapInverted", r.mapInverted());
        r.exportFailures()
                .forEach(v -> t.withArray("exportFailures")
                        .addObject()
                        .put("vm", name(v))
                        .put("reason", String.join("; ", v.details())));
        if (r.backup() != null) {
            t.putObject("backup")
                    .put("set", r.backup().setId().value())
                    .put("vms", r.backup().vmCount())
                    .put("changed", r.backup().changedVms())
                    .put("bundlesWritten", r.backup().bundlesWritten())
                    .put("stored", r.backupStored());
        }
        if (r.plan() != null) {
            t.set("plan", PlanPrinter.tree(r.plan(), r.applied()));
        }
        r.activated().forEach(a -> activation(t.withArray("activated").addObject(), a));
        r.deactivated().forEach(a -> activation(t.withArray("deactivated").addObject(), a));
        r.problems().forEach(p -> t.withArray("problems").add(p));
        if (Emit.structured(out, output, t)) {
            return;
        }
        out.println("failback " + r.drCluster() + " -> " + r.prodCluster() + (dryRun ? " (dry run)" : ""));
        r.exportFailures()
                .forEach(v -> out.println(
                        "not backed up " + name(v) + ": " + Printable.escape(String.join("; ", v.details()))));
        if (r.backup() != null) {
            out.println("set " + r.backup().setId().value() + ": " + r.backup().vmCount() + " VM(s), "
                    + r.backup().changedVms() + " changed" + (r.backupStored() ? ", stored" : ", not stored"));
        }
        if (r.plan() != null) {
            PlanPrinter.table(out, r.plan(), r.applied(), "PRODUCTION");
        }
        List<List<String>> rows = new ArrayList<>();
        r.activated().forEach(a -> rows.add(row(r.prodCluster(), "activated", a)));
        r.deactivated().forEach(a -> rows.add(row(r.drCluster(), "deactivated", a)));
        if (!rows.isEmpty()) {
            Emit.table(out, List.of("CLUSTER", "VM", "DONE", "RUN STRATEGY", "PROBLEM"), rows);
        }
        r.problems().forEach(p -> out.println("problem: " + Printable.escape(p)));
        out.println(r.outcome().name() + (r.codes().isEmpty() ? "" : " (" + String.join(", ", r.codes()) + ")") + ": "
                + Printable.escape(r.message()));
    }

    private static void activation(ObjectNode o, Activator.Result a) {
        o.put("vm", a.vm().toString());
        o.put("runStrategy", a.runStrategy() == null ? "-" : a.runStrategy());
        if (a.problem() != null) {
            o.put("problem", a.problem());
        }
    }

    private static List<String> row(String cluster, String done, Activator.Result a) {
        return List.of(
                cluster,
                a.vm().toString(),
                done,
                a.runStrategy() == null ? "-" : a.runStrategy(),
                a.problem() == null ? "" : Printable.escape(a.problem()));
    }

    private static String name(VmResult v) {
        return v.ref() == null ? v.origin() : v.ref().toString();
    }
}
