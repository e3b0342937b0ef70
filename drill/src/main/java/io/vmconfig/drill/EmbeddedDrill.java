package io.vmconfig.drill;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.EmbeddedS3;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.Volumes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The drill on embedded defaults: S3Proxy on loopback and two in-process API servers, driven through the real
 * commands. Every check reads what the servers hold, and write counts are what the API servers received.
 */
final class EmbeddedDrill {
    private final CommandRunner vmconfig;
    private final PrintWriter out;
    private final DrillChecks checks;
    private final Path examples;
    private final Path work;

    EmbeddedDrill(CommandRunner vmconfig, PrintWriter out, DrillChecks checks, Path examples, Path work) {
        this.vmconfig = vmconfig;
        this.out = out;
        this.checks = checks;
        this.examples = examples;
        this.work = work;
    }

    void run() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start();
                EmbeddedKube prod = EmbeddedKube.start("production", work.resolve("kube"));
                EmbeddedKube dr = EmbeddedKube.start("dr", work.resolve("kube"))) {
            prod.seed(examples.resolve("production"));
            dr.seed(examples.resolve("dr-inventory.yaml"));
            prod.drainWrites();
            dr.drainWrites();
            String repo = s3.newBucketUrl("vmconfig") + "&credentials="
                    + EmbeddedS3.writeCredentials(work.resolve("s3/credentials")) + "&profile=default";
            Map<String, String> sourceStrategies = runStrategies(prod);
            out.println("started: S3Proxy " + s3.endpoint() + ", API servers 'production' (" + sourceStrategies.size()
                    + " VMs) and 'dr' (replicated PVCs), kubeconfigs in " + work.resolve("kube"));
            String failbackRepo = s3.newBucketUrl("failback") + "&credentials="
                    + EmbeddedS3.writeCredentials(work.resolve("s3/credentials")) + "&profile=default";
            Step step = new Step(vmconfig, out);
            story(step, prod, dr, repo, failbackRepo, sourceStrategies);
        }
    }

    private void story(
            Step step,
            EmbeddedKube prod,
            EmbeddedKube dr,
            String repo,
            String failbackRepo,
            Map<String, String> sourceStrategies) {
        Path keys = work.resolve("keys");
        String[] repoArgs = {"--repo=" + repo, "--key=" + keys.resolve("repository.key")};
        String[] readArgs =
                DrillCommand.join(List.of(repoArgs), List.of("--verify-key=" + keys.resolve("signing.pub")));
        String[] writeArgs = DrillCommand.join(
                List.of(repoArgs),
                List.of("--signing-key=" + keys.resolve("signing.key"), "--source-cluster=production"));
        String[] drArgs = DrillCommand.join(
                List.of(readArgs), List.of(dr.contextArgs()), List.of("--map=" + examples.resolve("volume-map.yaml")));

        checks.check(
                step.run("1. keys and repository", "keys", "generate", "--out=" + keys)
                                        .code()
                                == 0
                        && initRepository(step, keys, repoArgs),
                "signing keys made, repository initialised in the bucket");

        CommandRunner.Ran backup = step.run(
                "2. backup of the production cluster",
                DrillCommand.join(
                        List.of("backup"), List.of(prod.contextArgs()), List.of(writeArgs), List.of("--run=drill-1")));
        checks.check(backup.code() == 0, "backup wrote a signed set");
        checks.check(prod.drainWrites() == 0, "the backup wrote nothing to the production cluster");

        CommandRunner.Ran plan =
                step.run("3. plan on the DR cluster", DrillCommand.join(List.of("plan"), List.of(drArgs)));
        checks.check(plan.code() == 0, "the plan finds every VM ready");
        checks.check(dr.drainWrites() == 0, "the plan wrote nothing to the DR cluster");

        CommandRunner.Ran restore =
                step.run("4. restore onto the DR cluster", DrillCommand.join(List.of("restore"), List.of(drArgs)));
        checks.check(restore.code() == 0, "restore applied the set");
        checkRestored(dr, sourceStrategies.size());

        out.println();
        out.println("5. someone gives prod-apps/web-01 a third CPU core in production");
        changeCores(prod, "prod-apps", "web-01", 3);
        checks.check(backup(step, prod, writeArgs, "drill-2"), "a second backup wrote a new set");

        dr.drainWrites();
        CommandRunner.Ran sync = step.run(
                "6. one sync pass on the DR cluster",
                DrillCommand.join(List.of("sync", "--once", "--no-leader-elect"), List.of(drArgs)));
        java.util.List<io.vmconfig.adapters.kube.ApiRequest> written = dr.drainWriteRequests();
        long events =
                written.stream().filter(w -> w.resource().equals("events")).count();
        long writes = written.size() - events;
        checks.check(sync.code() == 0, "sync applied the new set");
        checks.check(
                writes == 1,
                "sync wrote exactly the one changed VM (" + writes + " API write(s), and " + events
                        + " Event(s) saying so on DR)");
        checks.check(
                dr.cluster
                                .get(KubeKind.VM, "prod-apps", "web-01")
                                .map(v -> v.at("/spec/template/spec/domain/cpu/cores")
                                        .asInt())
                                .orElse(0)
                        == 3,
                "the DR copy of web-01 has 3 cores and is still Halted: "
                        + runStrategies(dr).get("prod-apps/web-01"));
        step.run("", DrillCommand.join(List.of("sync", "--once", "--no-leader-elect"), List.of(drArgs)));
        checks.check(dr.drainWrites() == 0, "a second sync of the same set writes nothing");

        partialFailover(step, prod, dr, writeArgs, drArgs);

        CommandRunner.Ran activate = step.run(
                "9. failover of the whole site: activate --all",
                DrillCommand.join(List.of("activate", "--all"), List.of(dr.contextArgs())));
        checks.check(activate.code() == 0, "activate succeeded");
        checks.check(
                runStrategies(dr).equals(sourceStrategies),
                "every DR VM has its production run strategy back " + runStrategies(dr));
        checks.check(siteActive(dr), "the DR site is recorded as active");
        dr.drainWrites();
        step.run("", DrillCommand.join(List.of("sync", "--once", "--no-leader-elect"), List.of(drArgs)));
        checks.check(dr.drainWrites() == 0, "sync applies nothing while the DR site is active");

        CommandRunner.Ran deactivate = step.run(
                "10. failback preparation: deactivate --all",
                DrillCommand.join(List.of("deactivate", "--all"), List.of(dr.contextArgs())));
        checks.check(
                deactivate.code() == 0
                        && !siteActive(dr)
                        && dr.cluster.list(KubeKind.VM, null, null).stream()
                                .noneMatch(v ->
                                        v.path("metadata").path("annotations").has(Annotations.ACTIVATED_AT)),
                "the DR site and its VMs are no longer recorded as active");
        dr.drainWrites();
        step.run("", DrillCommand.join(List.of("sync", "--once", "--no-leader-elect"), List.of(drArgs)));
        checks.check(dr.drainWrites() == 0, "sync never touches the DR VMs that now run");

        failback(step, prod, dr, writeArgs, drArgs, failbackRepo, sourceStrategies);
    }

    /**
     * Steps 11-14: failback of prod-apps/app-03 with {@code vmconfig failback}. DR ran it and changed it; production's
     * original VM is stopped. The change arrives in production on production's own claim, adopting the original VM
     * (not a second one), halted until activated; then the sites switch and DR sync resumes for it.
     */
    private void failback(
            Step step,
            EmbeddedKube prod,
            EmbeddedKube dr,
            String[] writeArgs,
            String[] drArgs,
            String failbackRepo,
            Map<String, String> sourceStrategies) {
        Path keys = work.resolve("keys");
        String app = "prod-apps/app-03";
        if (!checks.check(
                dr.cluster.get(KubeKind.VM, "prod-apps", "app-03").isPresent(), "app-03 is on DR, to fail back")) {
            return; // the story before did not bring it there: its checks say why
        }
        out.println();
        out.println("11. DR runs app-03 and gives it 6 cores; production's app-03 is stopped (production was down)");
        changeCores(dr, "prod-apps", "app-03", 6);
        stop(prod, "prod-apps", "app-03");
        String prodUid = vm(prod, "prod-apps", "app-03").at("/metadata/uid").asText();
        int prodVms = prod.cluster.list(KubeKind.VM, null, null).size();
        Path kubeconfig = EmbeddedKube.writeKubeconfig(work.resolve("kube/both.kubeconfig"), prod, dr);
        Path reverse = work.resolve("failback-map.yaml");
        try {
            java.nio.file.Files.writeString(reverse, """
                    # DR onto production, written by hand: volume-map.yaml has name rules, which do not invert
                    apiVersion: vmconfig.io/v1
                    kind: VolumeMap
                    namespaces: {prod-apps: prod-apps}
                    claims: {prod-apps/dr-app-03-disk: app-03-disk}
                    """);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String[] repoArgs = {"--repo=" + failbackRepo, "--key=" + keys.resolve("repository.key")};
        checks.check(initRepository(step, keys, repoArgs), "a failback repository initialised (its own bucket)");
        String[] failback = DrillCommand.join(
                List.of("failback", "--kubeconfig=" + kubeconfig, "--from-context=dr", "--to-context=production"),
                List.of(repoArgs),
                List.of("--signing-key=" + keys.resolve("signing.key"), "-l", "app.kubernetes.io/name=app-03"));
        prod.drainWrites();
        dr.drainWrites();
        CommandRunner.Ran notInvertible = step.run(
                "12. failback: the forward map does not invert, so a reverse map is given",
                DrillCommand.join(
                        List.of(failback), List.of("--map=" + examples.resolve("volume-map.yaml"), "--dry-run")));
        checks.check(
                notInvertible.code() == 2 && notInvertible.err().contains("is a name rule"),
                "a map with name rules is not inverted: refused naming each rule (exit 2)");
        String[] back = DrillCommand.join(List.of(failback), List.of("--reverse-map=" + reverse));
        CommandRunner.Ran dry = step.run("", DrillCommand.join(List.of(back), List.of("--dry-run")));
        checks.check(
                dry.code() == 0 && dry.out().contains("ADOPTED") && prod.drainWrites() == 0 && dr.drainWrites() == 0,
                "the dry run shows production's app-03 adopted and writes nothing to either cluster");
        CommandRunner.Ran restored = step.run("", back);
        ObjectNode onProd = vm(prod, "prod-apps", "app-03");
        checks.check(restored.code() == 0, "failback restored app-03 onto production");
        checks.check(
                onProd.at("/spec/template/spec/domain/cpu/cores").asInt() == 6
                        && "app-03-disk".equals(claimOf(onProd))
                        && "Halted".equals(onProd.at("/spec/runStrategy").asText()),
                "the change made on DR is on production, on production's own claim app-03-disk, Halted");
        checks.check(
                prodUid.equals(onProd.at("/metadata/uid").asText())
                        && prod.cluster.list(KubeKind.VM, null, null).size() == prodVms,
                "production's app-03 was adopted (same uid " + prodUid + "), not duplicated");
        checks.check(
                "dr"
                                .equals(Json.textAt(onProd, "metadata", "annotations", Annotations.SOURCE_CLUSTER)
                                        .orElse(""))
                        && Json.textAt(onProd, "metadata", "annotations", Annotations.ACTIVATED_AT)
                                .isEmpty(),
                "its trace names DR as the source; DR's activation did not travel");
        dr.drainWrites();

        out.println();
        out.println("13. maintenance window: DR's app-03 is stopped, then the sites switch");
        stop(dr, "prod-apps", "app-03");
        CommandRunner.Ran activated = step.run("", DrillCommand.join(List.of(back), List.of("--activate")));
        checks.check(
                activated.code() == 0
                        && sourceStrategies.get(app).equals(runStrategies(prod).get(app))
                        && Json.textAt(
                                        vm(dr, "prod-apps", "app-03"),
                                        "metadata",
                                        "annotations",
                                        Annotations.ACTIVATED_AT)
                                .isEmpty(),
                "production's app-03 runs again (" + runStrategies(prod).get(app)
                        + ") and its DR copy is handed back to sync");

        out.println();
        out.println("14. production runs again and changes: app-03 gets 8 cores");
        changeCores(prod, "prod-apps", "app-03", 8);
        checks.check(backup(step, prod, writeArgs, "drill-4"), "production's backup wrote a new set");
        dr.drainWrites();
        CommandRunner.Ran sync =
                step.run("", DrillCommand.join(List.of("sync", "--once", "--no-leader-elect"), List.of(drArgs)));
        ObjectNode onDr = vm(dr, "prod-apps", "app-03");
        checks.check(
                sync.code() == 0
                        && onDr.at("/spec/template/spec/domain/cpu/cores").asInt() == 8
                        && "Halted".equals(onDr.at("/spec/runStrategy").asText()),
                "DR sync resumed: DR's app-03 has production's 8 cores, Halted");
    }

    /** A backup of production into the forward repository, as run {@code run}; whether it wrote a set. */
    private static boolean backup(Step step, EmbeddedKube prod, String[] writeArgs, String run) {
        return step.run(
                                "",
                                DrillCommand.join(
                                        List.of("backup"),
                                        List.of(prod.contextArgs()),
                                        List.of(writeArgs),
                                        List.of("--run=" + run)))
                        .code()
                == 0;
    }

    /** {@code repo init} of the repository in {@code repoArgs}, signed by the drill's key. */
    private static boolean initRepository(Step step, Path keys, String[] repoArgs) {
        return step.run(
                                "",
                                DrillCommand.join(
                                        List.of("repo", "init", "--signer=" + keys.resolve("signing.pub")),
                                        List.of(repoArgs)))
                        .code()
                == 0;
    }

    private static ObjectNode vm(EmbeddedKube k, String ns, String name) {
        return k.cluster.get(KubeKind.VM, ns, name).orElseThrow();
    }

    /** Stopped as a person stops a VM: no running flag, runStrategy Halted, status Stopped. */
    private static void stop(EmbeddedKube k, String ns, String name) {
        ObjectNode vm = vm(k, ns, name);
        ((ObjectNode) vm.path("spec")).remove("running");
        ((ObjectNode) vm.path("spec")).put("runStrategy", "Halted");
        Json.ensureObject(vm, "status").put("printableStatus", "Stopped");
        k.cluster.update(KubeKind.VM, vm);
        k.drainWrites();
    }

    /** The VM's first PersistentVolumeClaim. */
    private static String claimOf(ObjectNode vm) {
        for (com.fasterxml.jackson.databind.JsonNode v : vm.at("/spec/template/spec/volumes")) {
            if (v.has("persistentVolumeClaim")) {
                return v.path("persistentVolumeClaim").path("claimName").asText();
            }
        }
        return "";
    }

    /**
     * Steps 7 and 8: one VM fails over on its own; a change to it and to another VM in production follows; sync
     * leaves exactly the activated VM alone and brings the other one in step.
     */
    private void partialFailover(Step step, EmbeddedKube prod, EmbeddedKube dr, String[] writeArgs, String[] drArgs) {
        CommandRunner.Ran one = step.run(
                "7. partial failover: activate prod-apps/web-01 only",
                DrillCommand.join(List.of("activate", "prod-apps/web-01"), List.of(dr.contextArgs())));
        Map<String, String> strategies = runStrategies(dr);
        checks.check(
                one.code() == 0
                        && !"Halted".equals(strategies.get("prod-apps/web-01"))
                        && strategies.entrySet().stream()
                                .filter(e -> !e.getKey().equals("prod-apps/web-01"))
                                .allMatch(e -> "Halted".equals(e.getValue()))
                        && !siteActive(dr),
                "only web-01 runs on DR; the other copies stay Halted and the site stays passive " + strategies);

        out.println();
        out.println("8. production keeps changing: web-01 gets 4 cores, lab/db-02 gets 6");
        changeCores(prod, "prod-apps", "web-01", 4);
        changeCores(prod, "lab", "db-02", 6);
        checks.check(backup(step, prod, writeArgs, "drill-3"), "a third backup wrote a new set");
        ObjectNode web = dr.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow();
        dr.drainWrites();
        CommandRunner.Ran sync =
                step.run("", DrillCommand.join(List.of("sync", "--once", "--no-leader-elect"), List.of(drArgs)));
        long writes = dr.drainWriteRequests().stream()
                .filter(w -> !w.resource().equals("events"))
                .count();
        checks.check(
                sync.code() == 0
                        && sync.out().contains("was activated on DR")
                        && dr.cluster
                                .get(KubeKind.VM, "prod-apps", "web-01")
                                .orElseThrow()
                                .equals(web),
                "sync skipped the activated web-01 and left it as it runs");
        checks.check(
                writes == 1
                        && dr.cluster
                                        .get(KubeKind.VM, "lab-dr", "db-02")
                                        .map(v -> v.at("/spec/template/spec/domain/cpu/cores")
                                                .asInt())
                                        .orElse(0)
                                == 6,
                "sync kept the others in step: db-02 has 6 cores on DR (" + writes + " API write(s))");
    }

    private static void changeCores(EmbeddedKube k, String ns, String name, int cores) {
        ObjectNode vm = k.cluster.get(KubeKind.VM, ns, name).orElseThrow();
        Json.ensureObject(vm, "spec", "template", "spec", "domain", "cpu").put("cores", cores);
        k.cluster.update(KubeKind.VM, vm);
        k.drainWrites();
    }

    private static boolean siteActive(EmbeddedKube dr) {
        return new ActivationState(dr.cluster, ActivationState.DEFAULT_NAMESPACE, java.time.Clock.systemUTC())
                .activated();
    }

    private void checkRestored(EmbeddedKube dr, int expected) {
        List<ObjectNode> vms = dr.cluster.list(KubeKind.VM, null, null);
        checks.check(vms.size() == expected, "every VM is on DR (" + vms.size() + "/" + expected + ")");
        checks.check(
                vms.stream()
                        .allMatch(v -> "Halted".equals(v.at("/spec/runStrategy").asText())
                                && !v.path("spec").has("running")),
                "every DR VM is Halted");
        checks.check(
                vms.stream()
                        .allMatch(v -> Json.textAt(v, "metadata", "annotations", Annotations.ORIGINAL_RUN_STRATEGY)
                                .isPresent()),
                "the original run strategy is recorded on each");
        checks.check(
                vms.stream()
                        .allMatch(v -> Volumes.claimUses(v).stream()
                                .filter(u -> u.source() != ClaimSource.BACKEND_STORAGE)
                                .allMatch(u -> dr.cluster
                                        .get(
                                                KubeKind.PVC,
                                                v.at("/metadata/namespace").asText(),
                                                u.claimName())
                                        .isPresent())),
                "every claim points at a replicated DR PVC");
        checks.check(
                vms.stream().allMatch(v -> !v.path("spec").has("dataVolumeTemplates")),
                "no template left that would create a fresh disk");
        checks.check(
                dr.cluster
                                .get(KubeKind.SECRET, "prod-apps", "web-01-cloudinit-8fj2d")
                                .isPresent()
                        && dr.cluster
                                .get(KubeKind.CONTROLLER_REVISION, "lab-dr", "db-02-u1.medium-4c7f1a9e-1")
                                .isPresent(),
                "the VMs' Secrets and ControllerRevisions came along");
    }

    private static Map<String, String> runStrategies(EmbeddedKube k) {
        Map<String, String> out = new TreeMap<>();
        for (ObjectNode v : k.cluster.list(KubeKind.VM, null, null)) {
            String source = Json.textAt(v, "metadata", "annotations", Annotations.SOURCE_NAMESPACE)
                    .orElse(v.at("/metadata/namespace").asText());
            String strategy =
                    v.at("/spec/runStrategy").asText(v.at("/spec/running").asBoolean() ? "Always" : "Halted");
            out.put(source + "/" + v.at("/metadata/name").asText(), strategy);
        }
        return out;
    }
}
