package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.Rbac;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.access.Audit;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.TestRepository;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants: a user bound only to ConfigRestore in namespace lab-dr asks, and the controller — running as the
 * deployed service account with exactly the Roles of deploy/dr and deploy/components/tenants, on the strict
 * in-process API server with RBAC enforced — restores into lab-dr only, from a repository and source namespace a
 * RepositoryGrant allows, recording the request as who asked; anything else is refused with its reason code and
 * nothing but the request's status is written.
 */
class ConfigRestoreTest {
    static final String SA = "system:serviceaccount:vmconfig-system:vmconfig-sync";
    static final String TENANT_NS = "lab-dr";

    @TempDir
    Path tmp;

    TwoClusters c;
    String[] controller;
    KubeCluster tenant;

    @BeforeEach
    void start() {
        c = TwoClusters.start(tmp);
        c.backup();
        c.configSync("unused"); // CRDs, vmconfig-system, the keys Secret
        c.dr.cluster.delete(KubeKind.CONFIG_SYNC, "vmconfig-system", "unused");
        for (String f : List.of("deploy/dr/rbac.yaml", "deploy/components/tenants/rbac.yaml")) {
            for (var o : KubeObjectReader.readFile(Fixtures.ROOT.resolve(f))) {
                ObjectNode obj = (ObjectNode) o.object();
                KubeKind kind = switch (o.kind()) {
                    case "ClusterRole" -> Rbac.CLUSTER_ROLE;
                    case "ClusterRoleBinding" -> Rbac.CLUSTER_ROLE_BINDING;
                    case "Role" -> Rbac.ROLE;
                    case "RoleBinding" -> Rbac.ROLE_BINDING;
                    default -> KubeKind.of(obj.path("apiVersion").asText(), o.kind());
                };
                c.dr.create(kind, obj);
            }
        }
        controller = c.dr.user(SA, "system:serviceaccounts", "system:serviceaccounts:vmconfig-system");
        c.dr.create(Fixtures.yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + TENANT_NS + "}\n"));
        volumeMap("dr", Map.of());
        // the tenant: rights on ConfigRestore in its namespace, nothing else
        String[] tina = c.dr.user("alice"); // PermissionPreflightTest.role binds alice
        PermissionPreflightTest.role(
                c.dr,
                TENANT_NS,
                "configrestores",
                "[{apiGroups: [vmconfig.io], resources: [configrestores], verbs: [get, list, create, update,"
                        + " delete]}]");
        tenant = KubeCluster.connect(tina[1], tina[3], 0, 0);
        c.dr.drainWrites();
        c.dr.faults.drainSeen();
    }

    @AfterEach
    void stop() {
        tenant.close();
        c.close();
    }

    /** The example map as VolumeMap {@code name} in the tenant's namespace, with {@code namespaces} overriding. */
    private void volumeMap(String name, Map<String, String> namespaces) {
        ObjectNode map = (ObjectNode)
                Yaml.parseAll(Fixtures.read(Path.of(TwoClusters.MAP)), "map").get(0);
        ((ObjectNode) map.get("metadata")).put("name", name).put("namespace", TENANT_NS);
        namespaces.forEach((k, v) -> ((ObjectNode) map.get("namespaces")).put(k, v));
        c.dr.create(KubeKind.VOLUME_MAP, map);
    }

    /** The cluster admin's grant: {@code url} for {@code target} from {@code sources}, keys from vmconfig-system. */
    private void grant(String name, String url, String target, String... sources) {
        ObjectNode g = Json.object().put("apiVersion", "vmconfig.io/v1").put("kind", "RepositoryGrant");
        g.putObject("metadata").put("name", name);
        ObjectNode spec = g.putObject("spec");
        spec.putObject("repository").put("url", url);
        spec.putObject("verifyKeySecretRef").put("namespace", "vmconfig-system").put("name", "vmconfig-keys");
        spec.putObject("repositoryKeySecretRef")
                .put("namespace", "vmconfig-system")
                .put("name", "vmconfig-keys");
        ObjectNode n = spec.putArray("namespaces").addObject().put("target", target);
        for (String s : sources) {
            n.withArray("sourceNamespaces").add(s);
        }
        c.dr.create(KubeKind.REPOSITORY_GRANT, g);
    }

    /** The tenant's request, created with the tenant's own credentials. */
    private ObjectNode request(String name, String source, String map, String more) {
        ObjectNode created = tenant.create(
                KubeKind.CONFIG_RESTORE, Fixtures.yaml("""
                apiVersion: vmconfig.io/v1
                kind: ConfigRestore
                metadata: {name: %s, namespace: %s}
                spec:
                  repository: {url: '%s'}
                  sourceNamespace: %s
                  volumeMapRef: {name: %s}
                %s
                """.formatted(name, TENANT_NS, c.repo, source, map, more)));
        c.dr.drainWrites();
        c.dr.faults.drainSeen();
        return created;
    }

    private Cli.Result controller() {
        return Cli.run(TestRepository.args(
                "sync",
                "--once",
                "--config-restores",
                "--no-leader-elect",
                "--state-namespace",
                "vmconfig-system",
                "--port",
                "-1",
                "--log-format",
                "text",
                controller));
    }

    private JsonNode status(String name) {
        return c.dr.cluster
                .get(KubeKind.CONFIG_RESTORE, TENANT_NS, name)
                .orElseThrow()
                .path("status");
    }

    private List<String> writes() {
        return c.dr.drainWriteRequests().stream()
                .map(r -> r.verb() + " " + r.resource() + " " + r.namespace())
                .toList();
    }

    @Test
    void aTenantBoundOnlyToConfigRestoreRestoresIntoItsNamespaceOncePerGenerationAndTheTrailNamesTheRequest() {
        grant("lab", c.repo, TENANT_NS, "lab");
        // the tenant cannot write a VM itself: the request is its only way
        ObjectNode vm = Fixtures.yaml("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: x,"
                + " namespace: lab-dr}\nspec: {runStrategy: Halted, template: {spec: {domain: {devices: {}}}}}\n");
        assertThatThrownBy(() -> tenant.create(KubeKind.VM, vm))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("403");
        ObjectNode request = request("db", "lab", "dr", "");

        Cli.Result r = controller();
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<String> written = writes();
        assertThat(written)
                .as("writes of the run")
                .contains("update configrestores/status " + TENANT_NS)
                .allSatisfy(w -> assertThat(w).endsWith(" " + TENANT_NS))
                .noneMatch(w -> w.startsWith("update configrestores "));
        ObjectNode db = c.dr.cluster.get(KubeKind.VM, TENANT_NS, "db-02").orElseThrow();
        assertThat(db.at("/metadata/annotations").path(Audit.APPLIED_BY).asText())
                .isEqualTo("ConfigRestore lab-dr/db");
        assertThat(c.dr.cluster.list(KubeKind.VM, "prod-apps", null)).isEmpty();
        JsonNode s = status("db");
        assertThat(s.path("phase").asText()).as(s.toString()).isEqualTo("Completed");
        assertThat(s.path("counts").path("created").asInt()).isEqualTo(1);
        assertThat(s.at("/vms/0/vm").asText()).isEqualTo("lab/db-02");
        assertThat(s.at("/vms/0/target").asText()).isEqualTo("lab-dr/db-02");
        assertThat(s.path("observedGeneration").asLong())
                .isEqualTo(request.at("/metadata/generation").asLong());
        assertThat(s.at("/conditions/0/status").asText()).isEqualTo("True");
        assertThat(c.dr.cluster
                        .get(KubeKind.CONFIG_RESTORE, TENANT_NS, "db")
                        .orElseThrow()
                        .path("spec")
                        .path("sourceNamespace")
                        .asText())
                .as("the spec is the tenant's")
                .isEqualTo("lab");

        // once per generation: a second pass writes nothing, not even the status
        Cli.Result again = controller();
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(writes()).isEmpty();
    }

    @Test
    void aRequestWhoseVmsWouldLandInAnotherNamespaceIsRefusedWithTheReasonAndNothingIsWritten() {
        grant("lab", c.repo, TENANT_NS, "lab");
        volumeMap("elsewhere", Map.of("lab", "prod-apps")); // the tenant's own map sends lab's VMs to prod-apps
        request("escape", "lab", "elsewhere", "");
        Cli.Result r = controller();
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(writes()).containsExactly("update configrestores/status " + TENANT_NS);
        assertThat(c.dr.cluster.list(KubeKind.VM, null, null)).isEmpty();
        JsonNode s = status("escape");
        assertThat(s.path("phase").asText()).as(s.toString()).isEqualTo("Refused");
        assertThat(s.path("reason").asText()).isEqualTo("TargetOutsideNamespace");
        assertThat(s.at("/vms/0/codes/0").asText()).isEqualTo("TARGET_OUTSIDE_NAMESPACE");
        assertThat(s.at("/vms/0/target").asText()).isEqualTo("prod-apps/db-02");
        assertThat(s.path("message").asText()).contains("outside the request's namespace lab-dr");
        assertThat(r.err()).contains("ConfigRestore lab-dr/escape: Refused (TargetOutsideNamespace)");
    }

    @Test
    void aRepositoryOrSourceNamespaceNoGrantAllowsIsRefusedBeforeTheRepositoryIsRead() {
        grant("other-namespace", c.repo, "team-b", "lab");
        grant("other-repository", c.repo + "-copy", TENANT_NS, "lab");
        request("no-grant", "lab", "dr", "");
        Cli.Result r = controller();
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(writes()).containsExactly("update configrestores/status " + TENANT_NS);
        JsonNode s = status("no-grant");
        assertThat(s.path("phase").asText()).isEqualTo("Refused");
        assertThat(s.path("reason").asText()).isEqualTo("RepositoryNotAllowed");
        assertThat(s.path("message").asText()).contains("no RepositoryGrant allows repository " + c.repo);
        // nothing of the repository was read: not even the Secrets the grants name
        assertThat(c.dr.faults.drainSeen()).extracting(ApiRequest::resource).doesNotContain("secrets", "volumemaps");

        grant("lab-only-prod", c.repo, TENANT_NS, "prod-apps");
        request("wrong-source", "lab", "dr", "");
        assertThat(controller().code()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(status("wrong-source").path("reason").asText()).isEqualTo("SourceNamespaceNotAllowed");
        assertThat(c.dr.cluster.list(KubeKind.VM, null, null)).isEmpty();
    }

    @Test
    void importModeCreatesOnlyWhatIsMissingAndNeverOverwrites() {
        grant("lab", c.repo, TENANT_NS, "lab");
        request("first", "lab", "dr", "  mode: import\n  vms: {names: [db-02]}");
        assertThat(controller().code()).isZero();
        assertThat(status("first").path("counts").path("created").asInt()).isEqualTo(1);
        ObjectNode before = c.dr.cluster.get(KubeKind.VM, TENANT_NS, "db-02").orElseThrow();

        request("second", "lab", "dr", "  mode: import");
        Cli.Result r = controller();
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = status("second");
        assertThat(s.path("counts").path("skipped").asInt()).as(s.toString()).isEqualTo(1);
        assertThat(s.at("/vms/0/codes/0").asText()).isEqualTo("EXISTS");
        assertThat(writes()).containsExactly("update configrestores/status " + TENANT_NS);
        assertThat(c.dr.cluster
                        .get(KubeKind.VM, TENANT_NS, "db-02")
                        .orElseThrow()
                        .at("/metadata/resourceVersion"))
                .isEqualTo(before.at("/metadata/resourceVersion"));

        request("none", "lab", "dr", "  vms: {selector: {matchLabels: {app: nothing-has-this}}}");
        assertThat(controller().code()).isZero();
        assertThat(status("none").path("vmCount").asInt()).isZero();
        assertThat(status("none").path("message").asText()).contains("no VM of set");
    }

    /** A controller running in this JVM as the deployed service account, with {@code more} options, until stopped. */
    private ControllerLoop controllerLoop(String... more) throws Exception {
        return ControllerLoop.start(Stream.of(
                        new String[] {
                            "--config-restores",
                            "--no-leader-elect",
                            "--state-namespace",
                            "vmconfig-system",
                            "--port",
                            "0",
                            "--log-format",
                            "json"
                        },
                        more,
                        controller)
                .flatMap(java.util.Arrays::stream)
                .toArray(String[]::new));
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        ControllerLoop.await(done);
    }

    @Test
    void aControllerOnAnHourlyIntervalServesARequestCreatedAfterItStartedWithoutWaitingForTheInterval()
            throws Exception {
        grant("lab", c.repo, TENANT_NS, "lab");
        try (ControllerLoop r = controllerLoop("--interval", "1h")) {
            await(() -> r.metrics().contains("vmconfig_sync_passes_total{result=\"success\"} 1.0"));
            assertThat(r.metrics())
                    .contains("vmconfig_sync_passes_total{result=\"success\"} 1.0")
                    .contains("vmconfig_sync_watching{resource=\"configrestores\"} 1.0");
            request("late", "lab", "dr", "");
            await(() -> status("late").path("phase").asText().equals("Completed"));
            assertThat(status("late").path("phase").asText())
                    .as(r.err().toString())
                    .isEqualTo("Completed");
            assertThat(c.dr.cluster.get(KubeKind.VM, TENANT_NS, "db-02")).isPresent();
            // the second pass was the watch's doing: the interval is an hour
            assertThat(r.metrics())
                    .contains("vmconfig_sync_passes_total{result=\"success\"} 2.0")
                    .contains("vmconfig_sync_watch_failures_total{resource=\"configrestores\"} 0.0");
            assertThat(r.health()).startsWith("OK");
            // the controller's own status write is not news: no third pass comes of it
            Thread.sleep(2 * io.vmconfig.service.sync.SyncController.DEBOUNCE.toMillis() + 500);
            assertThat(r.metrics()).contains("vmconfig_sync_passes_total{result=\"success\"} 2.0");
            assertThat(r.err().toString()).contains("\"change\":\"CREATED ConfigRestore lab-dr/late\"");
        }
    }

    @Test
    void withoutTheRightToWatchTheControllerPollsLogsCountsAndSaysSoInHealth() throws Exception {
        grant("lab", c.repo, TENANT_NS, "lab");
        ObjectNode role = c.dr.cluster
                .get(Rbac.CLUSTER_ROLE, null, "vmconfig-sync-tenants")
                .orElseThrow();
        for (JsonNode rule : role.path("rules")) {
            com.fasterxml.jackson.databind.node.ArrayNode verbs =
                    (com.fasterxml.jackson.databind.node.ArrayNode) rule.path("verbs");
            for (int i = verbs.size() - 1; i >= 0; i--) {
                if (verbs.get(i).asText().equals("watch")) {
                    verbs.remove(i);
                }
            }
        }
        c.dr.cluster.update(Rbac.CLUSTER_ROLE, role);
        try (ControllerLoop r = controllerLoop("--interval", "3s")) {
            await(() -> r.metrics().contains("vmconfig_sync_watch_failures_total{resource=\"configrestores\"} 1.0"));
            assertThat(r.metrics())
                    .contains("vmconfig_sync_watch_failures_total{resource=\"configrestores\"} 1.0")
                    .contains("vmconfig_sync_watching{resource=\"configrestores\"} 0.0");
            String health = r.health();
            assertThat(health)
                    .startsWith("POLLING: ")
                    .contains("watch of configrestores failed")
                    .contains("403");
            JsonNode line = java.util.Arrays.stream(r.err().toString().split("\n"))
                    .filter(l -> l.contains("watch failed"))
                    .map(l -> Json.parse(l, "log line"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(r.err().toString()));
            assertThat(line.path("level").asText()).isEqualTo("warn");
            assertThat(line.path("resource").asText()).isEqualTo("configrestores");
            assertThat(line.path("error").asText()).contains("403");
            // polling still serves requests
            request("polled", "lab", "dr", "");
            await(() -> status("polled").path("phase").asText().equals("Completed"));
            assertThat(status("polled").path("phase").asText())
                    .as(r.err().toString())
                    .isEqualTo("Completed");
        }
    }
}
