package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.ApiMeter;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.TestRepository;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup --context, plan, restore --context, sync, activate against two in-process API servers (CRUD mocks). */
class ClusterSyncTest {
    static final String MAP = Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();
    /**
     * The PVCs and carried dependencies the three VMs of examples/production name: web-01 2 PVCs and a Secret, db-02
     * 2 PVCs, 2 Secrets and 2 ControllerRevisions, app-03 a PVC, a ConfigMap and a ServiceAccount.
     */
    static final int NAMED_BY_EXAMPLE_VMS = 12;

    @TempDir
    Path tmp;

    TwoClusters clusters;
    String keys;
    String repo;
    EmbeddedKube prod;
    EmbeddedKube dr;
    /** The meter of each cluster connection a command made, in order. */
    final List<ApiMeter> meters = new ArrayList<>();

    final KubeConnector connector = TwoClusters.metered(meters);

    @BeforeEach
    void start() {
        clusters = TwoClusters.start(tmp);
        keys = clusters.keys;
        repo = clusters.repo;
        prod = clusters.prod;
        dr = clusters.dr;
    }

    @AfterEach
    void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    /** {@code args} (words and arrays of words) with {@code c}'s context, through the metering connector. */
    private Cli.Result run(EmbeddedKube c, Object... args) {
        return Cli.run(connector, TestRepository.args(args, c.contextArgs()));
    }

    private String backup() {
        Cli.Result r = run(prod, "backup", TestRepository.writer(repo, keys), "--source-cluster", "prod", "-o", "json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        return Json.parse(r.out(), "backup").path("set").asText();
    }

    private Cli.Result dr(String command, String... more) {
        return run(dr, command, TestRepository.reader(repo, keys, MAP), "-o", "json", more);
    }

    private static String action(Cli.Result r, String target) {
        for (JsonNode v : Json.parse(r.out(), "plan").path("vms")) {
            if (v.path("target").asText().equals(target)
                    || v.path("vm").asText().equals(target)) {
                return v.path("action").asText();
            }
        }
        return "absent";
    }

    private ObjectNode drVm(String ns, String name) {
        return dr.cluster.get(KubeKind.VM, ns, name).orElseThrow();
    }

    private void changeProdVm(String ns, String name, int cores) {
        io.vmconfig.testing.TwoClusters.changeCores(prod, ns, name, cores);
    }

    @Test
    void backupFromAClusterIsReadOnlyAndAnUnchangedRebackupCostsOnlyLists() {
        String first = backup();
        ApiMeter m = meters.get(meters.size() - 1);
        assertThat(m.writes()).isZero();
        Cli.Result sets = Cli.run("sets", "--repo", repo, "--verify-key", keys + "/signing.pub", "-o", "json");
        assertThat(sets.out()).contains(first);
        Cli.Result again = run(prod, "backup", TestRepository.writer(repo, keys), "-o", "json");
        assertThat(again.code()).isZero();
        ApiMeter m2 = meters.get(meters.size() - 1);
        assertThat(m2.writes()).isZero();
        // one page of VMs, then each object a VM needs read once by name (list with a field selector); the run walks
        // the VMs three times (too few VMs to train dictionaries from, so it tries again), but one page is kept
        assertThat(m2.reads()).isEqualTo(1 + NAMED_BY_EXAMPLE_VMS);
        assertThat(Json.parse(again.out(), "backup").path("changed").asInt()).isZero();
        String againId = Json.parse(again.out(), "backup").path("set").asText();
        Cli.Result listed = Cli.run("sets", "--repo", repo, "--verify-key", keys + "/signing.pub", "-o", "json");
        assertThat(listed.out()).contains(againId);
        assertThat(Json.parse(listed.out(), "sets").findParents("set"))
                .filteredOn(n -> n.path("set").asText().equals(againId))
                .singleElement()
                .satisfies(n -> assertThat(n.path("sourceCluster").asText()).isEqualTo("prod")); // the context name

        Cli.Result lab = run(prod, "backup", TestRepository.writer(repo, keys), "-n", "lab", "-o", "json");
        assertThat(lab.code()).as(lab.out() + lab.err()).isZero();
        assertThat(Json.parse(lab.out(), "backup").path("vms").asInt()).isEqualTo(1);
        Cli.Result none = run(prod, "backup", TestRepository.writer(repo, keys), "-l", "no-such-label=x", "-o", "json");
        assertThat(Json.parse(none.out(), "backup").path("vms").asInt()).isZero();
        assertThat(meters.get(meters.size() - 1).reads()).isEqualTo(1); // no VMs: nothing else is listed
        assertThat(meters.get(meters.size() - 1).writes()).isZero();
    }

    @Test
    void planWritesNothingRestoreCreatesAndASecondSyncWritesNothing() {
        backup();
        Cli.Result plan = dr("plan");
        assertThat(plan.code()).as(plan.out() + plan.err()).isZero();
        assertThat(meters.get(meters.size() - 1).writes()).isZero();
        assertThat(action(plan, "prod-apps/web-01")).isEqualTo("create");
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isEmpty();
        Cli.Result dry = dr("restore", "--dry-run");
        assertThat(dry.code()).isZero();
        assertThat(meters.get(meters.size() - 1).writes()).isZero();
        assertThat(action(dry, "prod-apps/web-01")).isEqualTo("create");

        Cli.Result restore = dr("restore");
        assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
        for (Cli.Result printed :
                List.of(plan, restore, run(dr, "plan", TestRepository.reader(repo, keys, MAP), "-o", "yaml"))) {
            assertThat(printed.out() + printed.err()).doesNotContain("systemctl enable"); // the cloud-init Secret
        }
        assertThat(dr.cluster.get(KubeKind.SECRET, "prod-apps", "web-01-cloudinit-8fj2d"))
                .isPresent();
        assertThat(dr.cluster.get(KubeKind.NAMESPACE, null, "lab-dr")).isPresent(); // db-02's mapped namespace
        ObjectNode web = drVm("prod-apps", "web-01");
        assertThat(web.path("spec").path("runStrategy").asText()).isEqualTo("Halted");
        JsonNode a = web.path("metadata").path("annotations");
        assertThat(a.path(Annotations.SOURCE_CLUSTER).asText()).isEqualTo("prod");
        assertThat(a.path(Annotations.BUNDLE).asText()).hasSize(64);
        assertThat(a.path(Annotations.REVISION).asText()).isNotEmpty();
        assertThat(a.path(Annotations.SET_ID).asText()).isNotEmpty();
        assertThat(a.path(Annotations.ORIGINAL_RUN_STRATEGY).asText()).isNotEmpty();
        assertThat(web.path("metadata")
                        .path("labels")
                        .path(Annotations.MANAGED_LABEL)
                        .asText())
                .isEqualTo("true");

        backup(); // a new set of an unchanged cluster
        Cli.Result sync = dr("sync", "--once");
        assertThat(sync.code()).as(sync.out() + sync.err()).isZero();
        assertThat(meters.get(meters.size() - 1).writes()).isZero();
        assertThat(Json.parse(sync.out(), "sync").path("objectsWritten").asInt())
                .isZero();
        assertThat(action(sync, "prod-apps/web-01")).isEqualTo("unchanged");

        changeProdVm("prod-apps", "web-01", 6);
        backup();
        Cli.Result plan2 = dr("plan");
        assertThat(action(plan2, "prod-apps/web-01")).isEqualTo("update");
        assertThat(plan2.out()).contains("/spec/template/spec/domain/cpu/cores");
        Cli.Result sync2 = dr("sync", "--once");
        assertThat(sync2.code()).isZero();
        assertThat(meters.get(meters.size() - 1).writes()).isEqualTo(2); // the VM, and its "Updated" Event
        assertThat(cores()).isEqualTo(6);
        assertThat(drVm("prod-apps", "web-01").path("metadata").path("uid").asText())
                .isEqualTo(web.path("metadata").path("uid").asText());
    }

    @Test
    void aVmRunningOnDrIsNeverModified() {
        backup();
        assertThat(dr("restore").code()).isZero();
        ObjectNode web = drVm("prod-apps", "web-01");
        ((ObjectNode) web.path("spec")).put("runStrategy", "Always");
        dr.cluster.update(KubeKind.VM, web);
        ObjectNode running = drVm("prod-apps", "web-01");
        changeProdVm("prod-apps", "web-01", 8);
        backup();
        Cli.Result sync = dr("sync", "--once");
        assertThat(action(sync, "prod-apps/web-01")).isEqualTo("skipped");
        assertThat(sync.out()).contains("running on DR");
        assertThat(drVm("prod-apps", "web-01")).isEqualTo(running);
    }

    @Test
    void anOlderRevisionIsRefusedUnlessRollbackIsAllowed() {
        String old = backup();
        changeProdVm("prod-apps", "web-01", 6);
        backup();
        assertThat(dr("restore").code()).isZero();
        Cli.Result back = dr("restore", "--set", old);
        assertThat(back.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(action(back, "prod-apps/web-01")).isEqualTo("skipped");
        assertThat(cores()).isEqualTo(6);
        Cli.Result allowed = dr("restore", "--set", old, "--allow-rollback");
        assertThat(allowed.code()).as(allowed.out()).isZero();
        assertThat(action(allowed, "prod-apps/web-01")).isEqualTo("update");
        assertThat(cores()).isNotEqualTo(6);
    }

    private int cores() {
        return drVm("prod-apps", "web-01")
                .path("spec")
                .path("template")
                .path("spec")
                .path("domain")
                .path("cpu")
                .path("cores")
                .asInt();
    }

    @Test
    void aVmWhoseVolumesFailPreflightIsReportedAndNotCreated() {
        dr.cluster.delete(KubeKind.PVC, "prod-apps", "dr-app-03-disk");
        backup();
        Cli.Result r = dr("restore");
        assertThat(r.code()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(action(r, "prod-apps/app-03")).isEqualTo("blocked");
        assertThat(r.out()).contains("dr-app-03-disk");
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "app-03")).isEmpty();
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
    }

    @Test
    void aCopyIntoTheDrClusterCreatesItsOwnDisksAndNeverAttachesAnExistingPvc() throws java.io.IOException {
        String example = java.nio.file.Files.readString(Path.of(MAP));
        String copy = example.replaceAll("(?s)claims:.*?(?=storageClasses:)", "")
                .replace("mode: failover", "mode: copy")
                .replace("unmapped: fail", "unmapped: create-empty");
        Path copyMap = java.nio.file.Files.writeString(tmp.resolve("copy-map.yaml"), copy);
        List<String> before = dr.cluster.list(KubeKind.PVC, null, null).stream()
                .map(p -> p.at("/metadata/namespace").asText() + "/"
                        + p.at("/metadata/name").asText())
                .toList();
        backup();
        Cli.Result r = run(dr, "restore", TestRepository.reader(repo, keys, copyMap.toString()), "-o", "json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(dr.cluster.list(KubeKind.VM, null, null))
                .filteredOn(vm -> "copy"
                        .equals(vm.at("/metadata/annotations/vmconfig.io~1restore-mode")
                                .asText()))
                .hasSize(3);
        for (ObjectNode vm : dr.cluster.list(KubeKind.VM, null, null)) {
            String ns = vm.at("/metadata/namespace").asText();
            for (JsonNode v : vm.at("/spec/template/spec/volumes")) {
                String claim = v.at("/persistentVolumeClaim/claimName")
                        .asText(v.at("/dataVolume/name").asText());
                if (claim.isEmpty()) {
                    continue;
                }
                assertThat(before)
                        .as("copy " + vm.at("/metadata/name").asText() + " uses " + claim)
                        .doesNotContain(ns + "/" + claim);
                if (v.has("persistentVolumeClaim")) {
                    ObjectNode pvc = dr.cluster.get(KubeKind.PVC, ns, claim).orElseThrow();
                    assertThat(pvc.at("/metadata/labels/vmconfig.io~1created-by")
                                    .asText())
                            .isEqualTo("vmconfig");
                }
            }
            assertThat(vm.at("/spec/template/spec/domain/devices/interfaces/0").has("macAddress"))
                    .isFalse();
        }
    }

    @Test
    void activateStartsVmsAndStopsSyncUntilDeactivate() {
        backup();
        assertThat(dr("restore").code()).isZero();
        Cli.Result act = run(dr, "activate", "--all");
        assertThat(act.code()).as(act.out() + act.err()).isZero();
        ObjectNode web = drVm("prod-apps", "web-01");
        assertThat(web.path("spec").path("runStrategy").asText())
                .isEqualTo(web.path("metadata")
                        .path("annotations")
                        .path(Annotations.ORIGINAL_RUN_STRATEGY)
                        .asText())
                .isNotEqualTo("Halted");
        changeProdVm("lab", "db-02", 12);
        backup();
        Cli.Result sync = dr("sync", "--once");
        assertThat(meters.get(meters.size() - 1).writes()).isZero();
        assertThat(Json.parse(sync.out(), "sync").path("vms"))
                .allSatisfy(v -> assertThat(v.path("action").asText()).isEqualTo("skipped"));
        assertThat(run(dr, "deactivate").code())
                .as("--all or names, never neither")
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(dr, "deactivate", "--all").code()).isZero();
        assertThat(drVm("prod-apps", "web-01")
                        .path("metadata")
                        .path("annotations")
                        .has(Annotations.ACTIVATED_AT))
                .isFalse();
        Cli.Result after = dr("plan");
        assertThat(action(after, "prod-apps/web-01")).isEqualTo("skipped"); // still running: never modified
        assertThat(after.out()).contains("running on DR");
    }

    private static List<String> codes(Cli.Result r, String target) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : Json.parse(r.out(), "plan").path("vms")) {
            if (v.path("target").asText().equals(target)) {
                v.path("codes").forEach(c -> out.add(c.asText()));
            }
        }
        return out;
    }

    @Test
    void activatingOneVmSkipsExactlyThatVmAndKeepsTheOthersInStep() {
        backup();
        assertThat(dr("restore").code()).isZero();
        Cli.Result act = run(dr, "activate", "prod-apps/web-01");
        assertThat(act.code()).as(act.out() + act.err()).isZero();
        ObjectNode web = drVm("prod-apps", "web-01");
        assertThat(web.path("metadata").path("annotations").has(Annotations.ACTIVATED_AT))
                .isTrue();
        assertThat(web.path("spec").path("runStrategy").asText()).isNotEqualTo("Halted");
        assertThat(drVm("lab-dr", "db-02").path("spec").path("runStrategy").asText())
                .isEqualTo("Halted");
        assertThat(new io.vmconfig.adapters.kube.ActivationState(
                                dr.cluster, "vmconfig-system", java.time.Clock.systemUTC())
                        .activated())
                .as("the site stays passive")
                .isFalse();

        changeProdVm("prod-apps", "web-01", 8);
        changeProdVm("lab", "db-02", 12);
        backup();
        Cli.Result sync = dr("sync", "--once");
        assertThat(sync.code()).as(sync.out() + sync.err()).isZero();
        assertThat(action(sync, "prod-apps/web-01")).isEqualTo("skipped");
        assertThat(codes(sync, "prod-apps/web-01")).containsExactly("VM_ACTIVATED");
        assertThat(action(sync, "lab-dr/db-02")).isEqualTo("update");
        assertThat(drVm("prod-apps", "web-01")).isEqualTo(web);
        assertThat(drVm("lab-dr", "db-02")
                        .at("/spec/template/spec/domain/cpu/cores")
                        .asInt())
                .isEqualTo(12);

        assertThat(run(dr, "deactivate", "prod-apps/web-01").code()).isZero();
        Cli.Result running = dr("plan");
        assertThat(codes(running, "prod-apps/web-01"))
                .as("still running: never modified")
                .containsExactly("RUNNING");
        ObjectNode stopped = drVm("prod-apps", "web-01");
        ((ObjectNode) stopped.path("spec")).put("runStrategy", "Halted");
        dr.cluster.update(KubeKind.VM, stopped);
        Cli.Result back = dr("sync", "--once");
        assertThat(back.code()).as(back.out()).isZero();
        assertThat(action(back, "prod-apps/web-01")).isEqualTo("update");
        assertThat(cores()).isEqualTo(8);
    }

    @Test
    void theAppliersLastMomentGuardAsksTheSameDecisionOnTheVmReadAgain() {
        backup();
        assertThat(dr("restore").code()).isZero();
        changeProdVm("prod-apps", "web-01", 8);
        changeProdVm("lab", "db-02", 12);
        backup();
        io.vmconfig.core.repo.RepoReader reader = new io.vmconfig.core.repo.RepoReader(
                new io.vmconfig.adapters.fs.FolderBlobStore(Path.of(repo)),
                io.vmconfig.core.repo.Trust.keys(List.of(KeyFiles.publicKey(Path.of(keys, "signing.pub")))),
                java.util.Optional.of(KeyFiles.repositoryKey(Path.of(keys, "repository.key"))));
        io.vmconfig.service.sync.DrSync sync = new io.vmconfig.service.sync.DrSync(
                dr.cluster,
                new io.vmconfig.adapters.kube.ActivationState(
                        dr.cluster, "vmconfig-system", java.time.Clock.systemUTC()),
                new io.vmconfig.core.restore.DrRestore(
                        RestoreCommand.readMap(Path.of(MAP)), java.util.UUID::randomUUID),
                false);
        io.vmconfig.service.sync.DrSync.Report report = sync.plan(reader, "latest", false);
        assertThat(report.plans())
                .filteredOn(p -> p.action() == io.vmconfig.core.sync.SyncAction.UPDATE)
                .hasSize(2);
        // between plan and apply: web-01 is activated, db-02 started by hand
        new io.vmconfig.service.activation.Activator(
                        dr.cluster,
                        new io.vmconfig.adapters.kube.ActivationState(
                                dr.cluster, "vmconfig-system", java.time.Clock.systemUTC()),
                        java.time.Clock.systemUTC())
                .activate(List.of(new io.vmconfig.core.vm.VmRef("prod-apps", "web-01")));
        ObjectNode db = drVm("lab-dr", "db-02");
        ((ObjectNode) db.path("spec")).put("runStrategy", "Always");
        dr.cluster.update(KubeKind.VM, db);
        ObjectNode web = drVm("prod-apps", "web-01");
        db = drVm("lab-dr", "db-02");
        io.vmconfig.service.sync.DrSync.Applied applied = sync.apply(report);
        assertThat(applied.refusedCodes()).containsExactlyInAnyOrder("VM_ACTIVATED", "RUNNING");
        assertThat(drVm("prod-apps", "web-01")).isEqualTo(web);
        assertThat(drVm("lab-dr", "db-02")).isEqualTo(db);
        assertThat(DrTarget.exitCode(report, applied))
                .as("left alone on purpose, like at plan time")
                .isEqualTo(ExitCodes.OK);
    }

    @Test
    void pruneDeletedIsOptInAndOnlyForHaltedManagedVms() {
        backup();
        assertThat(dr("restore").code()).isZero();
        prod.cluster.delete(KubeKind.VM, "prod-apps", "app-03");
        backup();
        assertThat(dr("sync", "--once").code()).isZero();
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "app-03")).isPresent();
        Cli.Result pruned = dr("sync", "--once", "--prune-deleted");
        assertThat(pruned.code()).as(pruned.out()).isZero();
        assertThat(action(pruned, "prod-apps/app-03")).isEqualTo("delete");
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "app-03")).isEmpty();
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
    }

    @Test
    void aConflictIsRetriedOnAFreshRead() {
        backup();
        assertThat(dr("restore").code()).isZero();
        changeProdVm("prod-apps", "web-01", 6);
        backup();
        dr.server
                .expect()
                .put()
                .withPath("/apis/kubevirt.io/v1/namespaces/prod-apps/virtualmachines/web-01" + "?fieldManager=vmconfig")
                .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}")
                .once();
        Cli.Result sync = dr("sync", "--once");
        assertThat(sync.code()).as(sync.out() + sync.err()).isZero();
        // the refused PUT, the retried one, and the VM's "Updated" Event
        assertThat(meters.get(meters.size() - 1).writes()).isEqualTo(3);
        assertThat(cores()).isEqualTo(6);
    }

    @Test
    void theControllerSyncsWhileItLeadsServesMetricsAndStopsWhenAsked() throws Exception {
        backup();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        java.util.concurrent.atomic.AtomicReference<Cli.Result> result =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread controller = new Thread(
                () -> result.set(dr("sync", "--interval", "1s", "--port", "" + port, "--identity", "sync-a")));
        controller.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (dr.cluster.get(KubeKind.VM, "prod-apps", "web-01").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("vmconfig_sync_leader 1.0")
                .contains("vmconfig_sync_vms{state=\"created\"} ")
                .contains("vmconfig_sync_last_applied_set_created_timestamp_seconds")
                .contains("vmconfig_sync_repository_read_bytes_total");
        assertThat(http.send(
                                java.net.http.HttpRequest.newBuilder(
                                                java.net.URI.create("http://127.0.0.1:" + port + "/healthz"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        assertThat(dr.cluster.get(KubeKind.LEASE, "vmconfig-system", SyncCommand.LEASE))
                .hasValueSatisfying(
                        l -> assertThat(l.path("spec").path("holderIdentity").asText())
                                .isEqualTo("sync-a"));
        controller.interrupt(); // what SIGTERM's shutdown hook does: stop after the current pass
        controller.join(30_000);
        assertThat(controller.isAlive()).isFalse();
        assertThat(result.get().code()).as(result.get().err()).isZero();
        // released on the way out (fabric8 shortens the lease to 1 s): a successor need not wait 15 s
        assertThat(dr.cluster
                        .get(KubeKind.LEASE, "vmconfig-system", SyncCommand.LEASE)
                        .orElseThrow()
                        .path("spec")
                        .path("leaseDurationSeconds")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void withoutContextOrFilesTheCommandsUseTheDefaultKubeconfigLikeKubectl() {
        String before = System.getProperty("kubeconfig");
        try {
            System.setProperty("kubeconfig", prod.kubeconfig.toString()); // as $KUBECONFIG would
            Cli.Result b =
                    Cli.run(connector, TestRepository.args("backup", TestRepository.writer(repo, keys), "-o", "json"));
            assertThat(b.code()).as(b.out() + b.err()).isZero();
            assertThat(Json.parse(b.out(), "backup").path("vms").asInt()).isEqualTo(3);
            System.setProperty("kubeconfig", dr.kubeconfig.toString());
            Cli.Result r = Cli.run(
                    connector, TestRepository.args("restore", TestRepository.reader(repo, keys, MAP), "-o", "json"));
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }
}
