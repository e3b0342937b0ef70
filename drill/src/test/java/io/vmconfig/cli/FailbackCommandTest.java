package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.Faults;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.TwoClusters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmconfig failback} through the real command line against two strict in-process API servers: app-03 failed
 * over and changed on DR, then brought back onto production's own claims, adopting the original VM, halted, and
 * with {@code --activate} switched back; a dry run and a refusal write nothing; a run cut by a fault finishes when run
 * again.
 */
class FailbackCommandTest {
    static final String APP = "prod-apps/app-03";

    @TempDir
    Path tmp;

    TwoClusters c;
    String keys;
    EmbeddedKube prod;
    EmbeddedKube dr;
    Path map;
    String forward;
    String back;

    @BeforeEach
    void failedOver() throws IOException {
        c = TwoClusters.start(tmp);
        keys = c.keys;
        prod = c.prod;
        dr = c.dr;
        map = Files.writeString(tmp.resolve("volume-map.yaml"), FailbackTest.MAP);
        forward = c.newRepo("forward");
        back = c.newRepo("failback");
        backupProduction();
        restoreOnDr();
        // failover of app-03: production's VM stopped, DR's copy activated and changed there
        stop(prod);
        ok(on(dr, "activate", APP));
        TwoClusters.changeCores(dr, "prod-apps", "app-03", 6);
        prod.drainWrites();
        dr.drainWrites();
    }

    @AfterEach
    void close() {
        c.close();
    }

    /** The forward direction: the latest production set restored onto DR (what sync does each pass). */
    private Cli.Result restoreOnDr() {
        return ok(c.restore(dr, forward, map.toString()));
    }

    private void backupProduction() {
        c.backup(prod, forward, "prod", "app.kubernetes.io/name=app-03");
    }

    private static Cli.Result ok(Cli.Result r) {
        return TwoClusters.ok(r);
    }

    private static Cli.Result on(EmbeddedKube c, String... args) {
        return TwoClusters.on(c, args);
    }

    private Cli.Result failback(String... more) {
        return Cli.run(Stream.of(Stream.of(failbackArgsTable()), Stream.of("-o", "json"), Stream.of(more))
                .flatMap(x -> x)
                .toArray(String[]::new));
    }

    private static JsonNode json(Cli.Result r) {
        return Json.parse(r.out(), "failback");
    }

    private static ObjectNode vm(EmbeddedKube c) {
        return FailbackTest.vm(c);
    }

    private static String annotation(ObjectNode vm, String key) {
        return FailbackTest.annotation(vm, key);
    }

    private static void stop(EmbeddedKube c) {
        TwoClusters.stop(c, "prod-apps", "app-03");
    }

    private List<String> repoFiles(String repo) throws IOException {
        try (Stream<Path> s = Files.walk(Path.of(repo))) {
            return s.map(Path::toString).sorted().toList();
        }
    }

    @Test
    void roundTripAdoptsProductionsVmHaltedThenSwitchesSitesAndDrSyncResumes() throws Exception {
        String prodUid = vm(prod).at("/metadata/uid").asText();
        String drUid = vm(dr).at("/metadata/uid").asText();

        Cli.Result restored = ok(failback());
        JsonNode r = json(restored);
        assertThat(r.path("outcome").asText()).isEqualTo("restored");
        assertThat(r.path("mapInverted").asBoolean()).isTrue();
        assertThat(r.at("/backup/stored").asBoolean()).isTrue();
        JsonNode planned = r.at("/plan/vms/0");
        assertThat(planned.path("action").asText()).isEqualTo("update");
        assertThat(planned.path("codes").toString()).contains("ADOPTED");
        assertThat(planned.path("diff").toString()).contains("~ /spec/template/spec/domain/cpu/cores: 1 -> 6");
        assertThat(restored.err()).contains("failback: backup:").contains("failback: apply:");

        ObjectNode onProd = vm(prod);
        assertThat(onProd.at("/metadata/uid").asText())
                .as("adopted, not a new VM")
                .isEqualTo(prodUid);
        assertThat(prod.cluster.list(KubeKind.VM, "prod-apps", null))
                .filteredOn(v -> v.at("/metadata/name").asText().startsWith("app-03"))
                .hasSize(1);
        assertThat(onProd.at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(6);
        assertThat(onProd.at("/spec/runStrategy").asText()).isEqualTo("Halted");
        assertThat(onProd.at("/metadata/labels").path(Annotations.MANAGED_LABEL).asText())
                .isEqualTo("true");
        assertThat(annotation(onProd, Annotations.SOURCE_CLUSTER)).isEqualTo("dr");
        assertThat(annotation(onProd, Annotations.SOURCE_UID)).isEqualTo(drUid);
        assertThat(annotation(onProd, Annotations.ACTIVATED_AT)).isNull();
        assertThat(dr.drainWrites()).as("without --activate DR is only read").isZero();
        prod.drainWrites();

        // --activate refuses while DR's copy runs, writing nothing
        Cli.Result refused = failback("--activate");
        assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(json(refused).path("codes").toString()).contains("RUNNING");
        assertThat(prod.drainWrites() + dr.drainWrites()).isZero();

        // the maintenance window: DR's copy stopped, then the sites switch
        stop(dr);
        dr.drainWrites();
        Cli.Result switched = ok(failback("--activate"));
        assertThat(json(switched).path("outcome").asText()).isEqualTo("activated");
        assertThat(vm(prod).at("/spec/runStrategy").asText()).isEqualTo("Always");
        assertThat(annotation(vm(dr), Annotations.ACTIVATED_AT)).isNull();
        assertThat(vm(prod).at("/metadata/uid").asText()).isEqualTo(prodUid);

        // DR sync resumes: a change in production reaches DR through the forward repository
        TwoClusters.changeCores(prod, "prod-apps", "app-03", 8);
        backupProduction();
        Cli.Result resumed = restoreOnDr();
        assertThat(Json.parse(resumed.out(), "restore").at("/vms/0/action").asText())
                .as(resumed.out())
                .isEqualTo("update");
        assertThat(vm(dr).at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(8);
        assertThat(vm(dr).at("/spec/runStrategy").asText()).isEqualTo("Halted");
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() throws Exception {
        List<String> before = repoFiles(back);
        // --activate is refused while DR's copy runs, even in a dry run; without it the plan is shown
        assertThat(failback("--dry-run", "--activate").code()).isEqualTo(ExitCodes.REFUSED);
        Cli.Result plan = ok(failback("--dry-run"));
        JsonNode p = json(plan);
        assertThat(p.path("outcome").asText()).isEqualTo("planned");
        assertThat(p.at("/plan/vms/0/codes").toString()).contains("ADOPTED");
        assertThat(p.at("/backup/stored").asBoolean()).isFalse();
        // one kubeconfig file holding both contexts works as well
        Path both = EmbeddedKube.writeKubeconfig(tmp.resolve("both.kubeconfig"), prod, dr);
        String[] table = Stream.concat(Stream.of(failbackArgs("--kubeconfig", both.toString())), Stream.of("--dry-run"))
                .toArray(String[]::new);
        assertThat(ok(Cli.run(table)).out())
                .as("the table says ADOPTED as -o json does")
                .contains("PRODUCTION")
                .contains("ADOPTED: ")
                .contains("PLANNED: dry run");
        assertThat(prod.drainWrites()).isZero();
        assertThat(dr.drainWrites()).isZero();
        assertThat(repoFiles(back)).isEqualTo(before);
        assertThat(vm(prod).at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(1);
    }

    @Test
    void aRunningProductionVmIsRefusedAndNothingIsWritten() throws Exception {
        ObjectNode running = vm(prod);
        ((ObjectNode) running.path("spec")).put("runStrategy", "Always");
        ((ObjectNode) running.path("status")).put("printableStatus", "Running");
        prod.cluster.update(KubeKind.VM, running);
        prod.drainWrites();
        List<String> before = repoFiles(back);

        Cli.Result r = failback();
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.REFUSED);
        JsonNode j = json(r);
        assertThat(j.path("outcome").asText()).isEqualTo("refused");
        assertThat(j.path("codes").toString()).contains("RUNNING");
        assertThat(j.at("/plan/vms/0/action").asText()).isEqualTo("skipped");
        assertThat(prod.drainWrites()).as("nothing half-applied on production").isZero();
        assertThat(dr.drainWrites()).isZero();
        assertThat(repoFiles(back)).as("no set stored").isEqualTo(before);
        assertThat(vm(prod).at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(1);

        Cli.Result table = Cli.run(failbackArgsTable());
        assertThat(table.out()).contains("SKIPPED").contains("REFUSED (RUNNING)");
    }

    /** Each side through a kubeconfig file of its own ({@code --from-kubeconfig}, {@code --to-kubeconfig}). */
    private String[] failbackArgsTable() {
        return failbackArgs(
                "--from-kubeconfig", dr.kubeconfig.toString(), "--to-kubeconfig", prod.kubeconfig.toString());
    }

    private String[] failbackArgs(String... kubeconfigs) {
        return Stream.of(
                        Stream.of("failback"),
                        Stream.of(kubeconfigs),
                        Stream.of(
                                "--from-context",
                                "dr",
                                "--to-context",
                                "prod",
                                "--repo",
                                back,
                                "--signing-key",
                                keys + "/signing.key",
                                "--key",
                                keys + "/repository.key",
                                "--map",
                                map.toString()))
                .flatMap(x -> x)
                .toArray(String[]::new);
    }

    /**
     * The permission pre-flight: a production user who may read but not write is refused before the first write,
     * with the list of what it lacks, and neither cluster nor the repository is written.
     */
    @Test
    void aUserWhoMayNotWriteProductionIsRefusedBeforeAnythingIsWritten() throws Exception {
        String[] alice = prod.user("alice"); // production's kubeconfig of its own: --to-kubeconfig
        PermissionPreflightTest.role(
                prod, null, "reader", "[{apiGroups: ['*'], resources: ['*'], verbs: [get, list]}]");
        prod.drainWrites();
        List<String> before = repoFiles(back);

        Cli.Result r = Cli.run(Stream.concat(
                        Stream.of(failbackArgs(
                                "--from-kubeconfig", dr.kubeconfig.toString(), "--to-kubeconfig", alice[1])),
                        Stream.of("-o", "json"))
                .toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.FORBIDDEN);
        assertThat(r.err())
                .contains("failback refused before writing anything: user \"alice\" on prod")
                .contains("prod-apps  virtualmachines.kubevirt.io  [create, update]");
        assertThat(prod.drainWrites() + dr.drainWrites()).isZero();
        assertThat(repoFiles(back)).isEqualTo(before);
    }

    @Test
    void aRunCutByAFaultFinishesWhenRunAgain() {
        // the VM's update on production fails (after fabric8's own retries): dependencies may be written, the VM not
        prod.faults.fail(Faults.verb("update", "virtualmachines"), 1, 20, 500);
        Cli.Result cut = failback();
        assertThat(cut.code()).as(cut.out() + cut.err()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(json(cut).path("outcome").asText()).isEqualTo("incomplete");
        assertThat(vm(prod).at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(1);
        prod.faults.clear();

        ok(failback());
        assertThat(vm(prod).at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(6);
        assertThat(annotation(vm(prod), Annotations.SOURCE_CLUSTER)).isEqualTo("dr");

        // activation cut on DR's side: production is on, DR's mark stays; running again finishes it
        stop(dr);
        dr.faults.fail(Faults.verb("update", "virtualmachines"), 1, 20, 500);
        Cli.Result half = failback("--activate");
        assertThat(half.code()).as(half.out() + half.err()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(vm(prod).at("/spec/runStrategy").asText()).isEqualTo("Always");
        assertThat(annotation(vm(dr), Annotations.ACTIVATED_AT)).isNotNull();
        dr.faults.clear();

        Cli.Result finished = ok(failback("--activate"));
        assertThat(json(finished).path("outcome").asText()).isEqualTo("activated");
        assertThat(annotation(vm(dr), Annotations.ACTIVATED_AT)).isNull();
        assertThat(json(finished).at("/plan/vms/0/codes").toString())
                .as("production's VM, activated, is left alone")
                .contains("VM_ACTIVATED");
    }

    /**
     * Two failbacks at once: the other one writes production's VM between this run's read and its write. This run's
     * write carries the resourceVersion it read, so the API server refuses it (409); the run reads the VM again and
     * decides again on what is there now (the DR-safety guard), never writing over what the other wrote unseen. A
     * label the other added is kept; a VM the other already started is refused, and left as the other left it.
     */
    @Test
    void aSecondFailbackWritingTheSameVmMeanwhileIsReadAgainAndDecidedAgain() {
        String path = "/apis/kubevirt.io/v1/namespaces/prod-apps/virtualmachines/app-03";
        prod.faults.updateBefore(
                Faults.verb("update", "virtualmachines"),
                1,
                path,
                other -> Json.ensureObject((ObjectNode) other.path("metadata"), "labels")
                        .put("written-by", "other-failback"));
        prod.faults.drainSeen();
        Cli.Result merged = ok(failback());
        assertThat(json(merged).path("outcome").asText()).isEqualTo("restored");
        assertThat(prod.faults.drainSeen())
                .as("the first update was refused as a conflict and sent again after a read")
                .filteredOn(r -> r.verb().equals("update") && r.resource().equals("virtualmachines"))
                .hasSize(2);
        ObjectNode kept = vm(prod);
        assertThat(kept.at("/metadata/labels/written-by").asText())
                .as("the other writer's change stands")
                .isEqualTo("other-failback");
        assertThat(kept.at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(6);

        // the other failback started production's VM meanwhile: read again, it is running, and is left alone
        TwoClusters.changeCores(dr, "prod-apps", "app-03", 7);
        prod.faults.updateBefore(
                Faults.verb("update", "virtualmachines"),
                1,
                path,
                other -> ((ObjectNode) other.path("spec")).put("runStrategy", "Always"));
        Cli.Result refused = failback();
        assertThat(refused.code()).as(refused.out() + refused.err()).isNotZero();
        assertThat(json(refused).path("outcome").asText()).isEqualTo("incomplete");
        assertThat(refused.out()).contains("prod-apps/app-03");
        ObjectNode left = vm(prod);
        assertThat(left.at("/spec/runStrategy").asText()).isEqualTo("Always");
        assertThat(left.at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(6);
    }

    /**
     * A failback of a subset of an activated site: DR's state names exactly the VMs that came back, so DR sync keeps
     * those in step again and leaves every other VM alone under the site flag.
     */
    @Test
    void aSelectorFailbackOfAnActivatedSiteHandsBackExactlyThoseVms() throws Exception {
        // DR also holds the other production VMs (the example map), then the whole site fails over
        String all = c.newRepo("all");
        c.backupFrom(prod, all, "prod", "--all-namespaces");
        String[] syncDr = c.args("restore", all, TwoClusters.MAP, dr.contextArgs(), "-o", "json");
        Cli.Result first = Cli.run(syncDr);
        assertThat(first.code()).as(first.out() + first.err()).isIn(0, 1);
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
        ok(on(dr, "activate", "--all"));
        stop(dr);

        Cli.Result back = ok(failback("-l", "app.kubernetes.io/name=app-03", "--activate"));
        assertThat(json(back).path("outcome").asText()).isEqualTo("activated");
        ObjectNode state = dr.cluster
                .get(KubeKind.CONFIG_MAP, "vmconfig-system", "vmconfig-state")
                .orElseThrow();
        assertThat(state.at("/data/activated").asText())
                .as("the site stays activated")
                .isEqualTo("true");
        assertThat(state.at("/data/failedBack").asText()).isEqualTo(APP);
        assertThat(annotation(vm(dr), Annotations.ACTIVATED_AT)).isNull();
        assertThat(annotation(
                        dr.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow(), Annotations.ACTIVATED_AT))
                .as("the rest keep their mark")
                .isNotNull();

        // DR sync: app-03 is in step again, web-01 and db-02 are left alone by the site flag
        Cli.Result sync = Cli.run(syncDr);
        JsonNode vms = Json.parse(sync.out(), "restore").path("vms");
        java.util.Map<String, JsonNode> byVm = new java.util.HashMap<>();
        vms.forEach(v -> byVm.put(v.path("vm").asText(), v));
        assertThat(byVm.get(APP).path("codes").toString()).as(sync.out()).doesNotContain("ACTIVATED");
        assertThat(byVm.get(APP).path("action").asText()).isIn("update", "unchanged");
        assertThat(byVm.get("prod-apps/web-01").path("action").asText()).isEqualTo("skipped");
        assertThat(byVm.get("prod-apps/web-01").path("codes").toString()).contains("\"ACTIVATED\"");

        // the whole site deactivated: the record of what came back goes with the flag
        ok(on(dr, "deactivate", "--all"));
        ObjectNode after = dr.cluster
                .get(KubeKind.CONFIG_MAP, "vmconfig-system", "vmconfig-state")
                .orElseThrow();
        assertThat(after.at("/data/activated").asText()).isEqualTo("false");
        assertThat(after.path("data").has("failedBack")).isFalse();
    }
}
