package io.vmconfig.drill;

import io.vmconfig.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmconfig drill}: the whole DR story, printed step by step with every expectation checked. On embedded
 * defaults it brings its own S3 server and two API servers; pointed at real clusters it only reads.
 */
@Command(
        name = "drill",
        mixinStandardHelpOptions = true,
        header = "Runs the whole DR story on embedded servers, or checks real clusters' DR readiness read-only.",
        description = {
            "Without options: runs the DR story on this machine with embedded defaults - S3Proxy on",
            "loopback with a temporary bucket, a 'production' and a 'dr' API server (fabric8 mock, CRUD mode) seeded",
            "with the example VMs and the replicated PVCs - backup, plan, restore, change one VM, backup, sync (only",
            "that VM written), activate one VM (sync keeps the others in step), activate --all, deactivate --all.",
            "Exit 0 when every step held.",
            "With --source-context, --dr-context and --repo: checks real clusters read-only (DR readiness per VM)."
        })
public final class DrillCommand implements Callable<Integer> {
    private final CommandRunner vmconfig;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--examples",
            paramLabel = "DIR",
            description = "folder with production/, volume-map.yaml and dr-inventory.yaml (default: embedded)")
    Path examples;

    @Option(names = "--work", paramLabel = "DIR", description = "where to write (default: a new temporary folder)")
    Path work;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "real mode: kubeconfig (default: $KUBECONFIG)")
    String kubeconfig;

    @Option(names = "--source-context", paramLabel = "NAME", description = "real mode: the production context")
    String sourceContext;

    @Option(names = "--dr-context", paramLabel = "NAME", description = "real mode: the DR context")
    String drContext;

    @Option(names = "--repo", paramLabel = "URL", description = "real mode: the repository")
    String repo;

    @Option(names = "--map", paramLabel = "FILE", description = "real mode: the VolumeMap")
    Path map;

    @Option(names = "--verify-key", paramLabel = "FILE", description = "real mode: public key sets are signed with")
    Path verifyKey;

    @Option(names = "--key", paramLabel = "FILE", description = "real mode: repository key")
    Path key;

    public DrillCommand(CommandRunner vmconfig) {
        this.vmconfig = vmconfig;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DrillChecks checks = new DrillChecks(out);
        if (sourceContext != null || drContext != null || repo != null) {
            realClusters(out, checks);
        } else {
            Path dir = work != null ? work : Files.createTempDirectory("vmconfig-drill-");
            Path ex = examples != null ? examples : EmbeddedExamples.extractTo(dir.resolve("examples"));
            out.println("vmconfig drill: examples " + (examples != null ? ex : "(embedded)") + ", work folder " + dir);
            new EmbeddedDrill(vmconfig, out, checks, ex, dir).run();
        }
        out.println();
        if (checks.failures() > 0) {
            out.println("drill FAILED: " + checks.failures() + " check(s) did not hold");
            return ExitCodes.PARTIAL;
        }
        out.println("drill passed: " + checks.passed() + " checks held");
        return ExitCodes.OK;
    }

    /**
     * Read-only on real clusters: the source's VMs are read into a throwaway local repository (never the bucket),
     * the real repository's sets must verify, and the plan says per VM whether DR is ready. Nothing is written to
     * either cluster or to the repository.
     */
    private void realClusters(PrintWriter out, DrillChecks checks) throws IOException {
        if (sourceContext == null || drContext == null || repo == null || map == null) {
            throw io.vmconfig.core.VmConfigException.config(
                    "real mode needs --source-context, --dr-context, --repo and --map");
        }
        List<String> kube = kubeconfig == null ? List.of() : List.of("--kubeconfig=" + kubeconfig);
        List<String> repoArgs = new ArrayList<>(List.of("--repo=" + repo));
        repoArgs.add(verifyKey != null ? "--verify-key=" + verifyKey : "--insecure-skip-verify");
        if (key != null) {
            repoArgs.add("--key=" + key);
        }
        Path scratch = work != null ? work : Files.createTempDirectory("vmconfig-drill-");
        Path keys = scratch.resolve("scratch-keys");
        String local = "--repo=" + scratch.resolve("scratch-repo");
        out.println("vmconfig drill on real clusters (read only): source " + sourceContext + ", DR " + drContext
                + ", scratch folder " + scratch);
        Step step = new Step(vmconfig, out);
        boolean scratchRepo = step.run(
                                        "1. the source cluster's VMs can be read (into a local scratch repository)",
                                        "keys",
                                        "generate",
                                        "--out=" + keys)
                                .code()
                        == 0
                && step.run(
                                        "",
                                        "repo",
                                        "init",
                                        local,
                                        "--signer=" + keys.resolve("signing.pub"),
                                        "--key=" + keys.resolve("repository.key"))
                                .code()
                        == 0;
        CommandRunner.Ran source = step.run(
                "",
                join(
                        List.of(
                                "backup",
                                "--context=" + sourceContext,
                                local,
                                "--signing-key=" + keys.resolve("signing.key"),
                                "--key=" + keys.resolve("repository.key"),
                                "--run=drill-read-check"),
                        kube));
        checks.check(scratchRepo && source.code() == 0, "the source cluster is readable with these credentials");
        CommandRunner.Ran sets = step.run("2. the repository holds signed sets", join(List.of("sets"), repoArgs));
        checks.check(sets.code() == 0, "the repository is readable and its sets verify");
        CommandRunner.Ran plan = step.run(
                "3. DR readiness of every VM of the latest set (nothing is written)",
                join(List.of("plan", "--context=" + drContext, "--map=" + map), kube, repoArgs));
        checks.check(plan.code() == 0, "every VM of the latest set is ready on DR (no VM blocked)");
    }

    @SafeVarargs
    static String[] join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all.toArray(String[]::new);
    }
}
