package io.vmconfig.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.cli.CliRunner;
import io.vmconfig.cli.RepoEnvironment;
import io.vmconfig.cli.SyncCommand;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.TestRepository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Roles in deploy/ grant exactly what the code uses: the real commands run against in-process API servers, every
 * request the servers receive is recorded as (verb, group, resource, namespace), and the grants are compared both
 * ways — a request no grant allows fails, and so does a grant no request used.
 */
class DeployRbacTest {
    static final String MAP = Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();

    @TempDir
    Path tmp;

    String keys;
    String repo;
    EmbeddedKube prod;
    EmbeddedKube dr;

    /** One grant: a ClusterRole's (namespace "*") or a Role's in its namespace. */
    record Grant(String namespace, String group, String resource, String verb) implements Comparable<Grant> {
        boolean allows(ApiRequest r) {
            return group.equals(r.group())
                    && resource.equals(r.resource())
                    && verb.equals(r.verb())
                    && (namespace.equals("*") || namespace.equals(r.namespace()));
        }

        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }
    }

    static Set<Grant> grants(String serviceAccount, Path... files) {
        List<SourcedObject> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(KubeObjectReader.readFile(f));
        }
        Set<String> clusterRoles = new TreeSet<>();
        Set<String> roles = new TreeSet<>(); // "ns/name"
        for (SourcedObject o : all) {
            boolean bound = false;
            for (JsonNode s : o.object().path("subjects")) {
                bound |= s.path("kind").asText().equals("ServiceAccount")
                        && s.path("name").asText().equals(serviceAccount);
            }
            if (bound && o.kind().equals("ClusterRoleBinding")) {
                clusterRoles.add(o.object().at("/roleRef/name").asText());
            }
            if (bound && o.kind().equals("RoleBinding")) {
                String ns = o.object().at("/metadata/namespace").asText();
                roles.add(ns + "/" + o.object().at("/roleRef/name").asText());
            }
        }
        Set<Grant> out = new TreeSet<>();
        for (SourcedObject o : all) {
            String name = o.object().at("/metadata/name").asText();
            String ns;
            if (o.kind().equals("ClusterRole") && clusterRoles.contains(name)) {
                ns = "*";
            } else if (o.kind().equals("Role")
                    && roles.contains(o.object().at("/metadata/namespace").asText() + "/" + name)) {
                ns = o.object().at("/metadata/namespace").asText();
            } else {
                continue;
            }
            for (JsonNode rule : o.object().path("rules")) {
                for (JsonNode g : rule.path("apiGroups")) {
                    for (JsonNode r : rule.path("resources")) {
                        for (JsonNode v : rule.path("verbs")) {
                            out.add(new Grant(ns, g.asText(), r.asText(), v.asText()));
                        }
                    }
                }
            }
        }
        return out;
    }

    static void compare(Set<Grant> grants, List<ApiRequest> used, String what) {
        List<String> missing = used.stream()
                .filter(r -> grants.stream().noneMatch(g -> g.allows(r)))
                .map(r -> r.verb() + " " + r.group() + "/" + r.resource() + " in " + r.namespace())
                .distinct()
                .sorted()
                .toList();
        List<Grant> unused =
                grants.stream().filter(g -> used.stream().noneMatch(g::allows)).toList();
        System.out.println(what + ": " + used.size() + " requests; distinct "
                + used.stream()
                        .map(r -> r.verb() + " " + r.group() + "/" + r.resource())
                        .distinct()
                        .sorted()
                        .toList());
        assertThat(missing).as(what + ": requests no grant allows").isEmpty();
        assertThat(unused).as(what + ": grants no request used").isEmpty();
    }

    io.vmconfig.testing.TwoClusters clusters;

    @BeforeEach
    void start() {
        clusters = io.vmconfig.testing.TwoClusters.start(tmp);
        keys = clusters.keys;
        repo = clusters.repo;
        prod = clusters.prod;
        dr = clusters.dr;
    }

    @AfterEach
    void stop() {
        clusters.close();
    }

    private void backup() {
        io.vmconfig.testing.TwoClusters.backup(repo, keys, prod, "--all-namespaces", "--run", "cronjob");
    }

    private String[] syncArgs(String... more) {
        return TestRepository.args(
                "sync",
                TestRepository.reader(repo, keys, MAP),
                "--state-namespace",
                "vmconfig-system",
                more,
                dr.contextArgs());
    }

    private void changeProdVm(String ns, String name, int cores) {
        io.vmconfig.testing.TwoClusters.changeCores(prod, ns, name, cores);
    }

    @Test
    void theSourceCronJobsRoleIsExactlyWhatBackupUses() {
        // a VM naming a namespaced instancetype and preference: backup reads those by name, and only for such a VM
        namespacedInstancetype();
        backup();
        changeProdVm("prod-apps", "web-01", 6);
        prod.faults.drainSeen();
        backup();
        compare(
                grants("vmconfig-backup", io.vmconfig.testing.Fixtures.ROOT.resolve("deploy/source/rbac.yaml")),
                prod.faults.drainSeen(),
                "backup --all-namespaces (deploy/source)");
    }

    /** Changes what each kind of dependency holds on production, so that sync updates it on DR. */
    private void changeDependencies() {
        ObjectNode secret = prod.cluster
                .get(KubeKind.SECRET, "prod-apps", "web-01-cloudinit-8fj2d")
                .orElseThrow();
        Json.ensureObject(secret, "data").put("extra", "eA==");
        prod.cluster.update(KubeKind.SECRET, secret);
        ObjectNode cm = prod.cluster
                .get(KubeKind.CONFIG_MAP, "prod-apps", "app-03-settings")
                .orElseThrow();
        Json.ensureObject(cm, "data").put("extra", "x");
        prod.cluster.update(KubeKind.CONFIG_MAP, cm);
        ObjectNode sa = prod.cluster
                .get(KubeKind.SERVICE_ACCOUNT, "prod-apps", "app-03")
                .orElseThrow();
        sa.put("automountServiceAccountToken", false);
        prod.cluster.update(KubeKind.SERVICE_ACCOUNT, sa);
        ObjectNode cr = prod.cluster
                .get(KubeKind.CONTROLLER_REVISION, "lab", "db-02-fedora-8b2d6e03-1")
                .orElseThrow();
        ((ObjectNode) cr).put("revision", 2);
        prod.cluster.update(KubeKind.CONTROLLER_REVISION, cr);
        for (KubeKind k : List.of(KubeKind.INSTANCETYPE, KubeKind.PREFERENCE)) {
            ObjectNode o =
                    prod.cluster.get(k, "prod-apps", "app-03-" + k.plural()).orElseThrow();
            Json.ensureObject(o, "spec").put("extra", "x");
            prod.cluster.update(k, o);
        }
    }

    /** app-03 uses a namespaced instancetype and preference (dependencies that sync writes). */
    private void namespacedInstancetype() {
        for (KubeKind k : List.of(KubeKind.INSTANCETYPE, KubeKind.PREFERENCE)) {
            ObjectNode o = Json.object();
            o.put("apiVersion", k.apiVersion()).put("kind", k.kind());
            o.putObject("metadata").put("namespace", "prod-apps").put("name", "app-03-" + k.plural());
            o.putObject("spec");
            prod.create(o);
        }
        ObjectNode vm = prod.cluster.get(KubeKind.VM, "prod-apps", "app-03").orElseThrow();
        ((ObjectNode) vm.path("spec"))
                .putObject("instancetype")
                .put("kind", KubeKind.INSTANCETYPE.kind())
                .put("name", "app-03-" + KubeKind.INSTANCETYPE.plural());
        ((ObjectNode) vm.path("spec"))
                .putObject("preference")
                .put("kind", KubeKind.PREFERENCE.kind())
                .put("name", "app-03-" + KubeKind.PREFERENCE.plural());
        prod.cluster.update(KubeKind.VM, vm);
    }

    @Test
    void theDrRolesAreExactlyWhatSyncUses() throws Exception {
        namespacedInstancetype();
        backup();
        List<ApiRequest> used = new ArrayList<>();
        // the Deployment's way: leader-elected controller, first pass creates everything
        RepoEnvironment env = new RepoEnvironment(
                new io.vmconfig.app.RepoUrls(System.getenv(), io.vmconfig.core.repo.RetryingBlobStore.REAL_SLEEP),
                Clock.systemUTC(),
                new SecureRandom());
        CompletableFuture<SyncCommand.Running> running = new CompletableFuture<>();
        SyncCommand sync = new SyncCommand(env, KubeCluster::connect, UUID::randomUUID, running::complete);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CliRunner(List.of(sync))
                .run(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter()),
                        syncArgs("--interval", "1h", "--port", "-1", "--log-format", "json")));
        SyncCommand.Running r = running.get(60, TimeUnit.SECONDS);
        for (int i = 0;
                i < 600 && !r.metrics().render().contains("vmconfig_sync_passes_total{result=\"success\"} 1.0");
                i++) {
            Thread.sleep(100);
        }
        sync.stop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        used.addAll(dr.faults.drainSeen());
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
        // updates of the VM and of each kind of dependency (with their Events)
        changeProdVm("prod-apps", "web-01", 6);
        changeDependencies();
        backup();
        dr.faults.drainSeen(); // the test's own requests are not the code's
        Cli.Result updated = Cli.run(syncArgs("--once", "-o", "json"));
        assertThat(updated.code()).as(updated.out() + updated.err()).isZero();
        used.addAll(dr.faults.drainSeen());
        // a blocked VM's Event bumped, a VM pruned (the prune-deleted component)
        dr.cluster.delete(KubeKind.PVC, "lab-dr", "dr-db-02-data");
        dr.faults.drainSeen();
        assertThat(Cli.run(syncArgs("--once")).code()).isEqualTo(1);
        assertThat(Cli.run(syncArgs("--once")).code()).isEqualTo(1);
        prod.cluster.delete(KubeKind.VM, "prod-apps", "app-03");
        backup();
        assertThat(Cli.run(syncArgs("--once", "--prune-deleted")).code()).isEqualTo(1);
        used.addAll(dr.faults.drainSeen());
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "app-03")).isEmpty();
        // the same controller driven by ConfigSync objects (the CRDs, map, Secret and object are the test's set-up)
        clusters.configSync("dr");
        Cli.Result objects = Cli.run(Stream.of(
                        Stream.of("sync", "--once", "--all-config-syncs", "--state-namespace", "vmconfig-system"),
                        Stream.of(dr.contextArgs()))
                .flatMap(s -> s)
                .toArray(String[]::new));
        assertThat(objects.code()).as(objects.out() + objects.err()).isEqualTo(1);
        used.addAll(dr.faults.drainSeen());
        // a tenant's ConfigRestore (the tenants component): request, grant and map are the test's set-up
        ObjectNode map =
                (ObjectNode) io.vmconfig.core.json.Yaml.parseAll(io.vmconfig.testing.Fixtures.read(Path.of(MAP)), MAP)
                        .get(0);
        ((ObjectNode) map.get("metadata")).put("name", "dr").put("namespace", "lab-dr");
        dr.create(KubeKind.VOLUME_MAP, map);
        dr.create(KubeKind.REPOSITORY_GRANT, io.vmconfig.testing.Fixtures.yaml("""
                apiVersion: vmconfig.io/v1
                kind: RepositoryGrant
                metadata: {name: lab}
                spec:
                  repository: {url: '%s'}
                  verifyKeySecretRef: {namespace: vmconfig-system, name: vmconfig-keys}
                  repositoryKeySecretRef: {namespace: vmconfig-system, name: vmconfig-keys}
                  namespaces: [{target: lab-dr, sourceNamespaces: [lab]}]
                """.formatted(repo)));
        dr.create(KubeKind.CONFIG_RESTORE, io.vmconfig.testing.Fixtures.yaml("""
                apiVersion: vmconfig.io/v1
                kind: ConfigRestore
                metadata: {name: db, namespace: lab-dr}
                spec:
                  repository: {url: '%s'}
                  sourceNamespace: lab
                  volumeMapRef: {name: dr}
                """.formatted(repo)));
        dr.faults.drainSeen();
        Cli.Result restores = Cli.run(Stream.of(
                        Stream.of("sync", "--once", "--config-restores", "--state-namespace", "vmconfig-system"),
                        Stream.of(dr.contextArgs()))
                .flatMap(s -> s)
                .toArray(String[]::new));
        assertThat(restores.err()).contains("ConfigRestore lab-dr/db: ");
        used.addAll(dr.faults.drainSeen());
        // both as the Deployment runs them: a controller that watches its ConfigSyncs, their VolumeMaps and requests
        CompletableFuture<SyncCommand.Running> watching = new CompletableFuture<>();
        SyncCommand objectsLoop = new SyncCommand(env, KubeCluster::connect, UUID::randomUUID, watching::complete);
        CompletableFuture<Integer> loopExit = CompletableFuture.supplyAsync(() -> new CliRunner(List.of(objectsLoop))
                .run(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter()),
                        Stream.of(
                                        Stream.of(
                                                "sync",
                                                "--all-config-syncs",
                                                "--config-restores",
                                                "--state-namespace",
                                                "vmconfig-system",
                                                "--no-leader-elect",
                                                "--interval",
                                                "1h",
                                                "--port",
                                                "-1"),
                                        Stream.of(dr.contextArgs()))
                                .flatMap(s -> s)
                                .toArray(String[]::new)));
        SyncCommand.Running w = watching.get(60, TimeUnit.SECONDS);
        List<String> watched = List.of(
                "vmconfig_sync_watching{resource=\"configrestores\"} 1.0",
                "vmconfig_sync_watching{resource=\"configsyncs\"} 1.0",
                "vmconfig_sync_watching{resource=\"volumemaps\"} 1.0");
        for (int i = 0; i < 600 && !watched.stream().allMatch(w.metrics().render()::contains); i++) {
            Thread.sleep(100);
        }
        assertThat(w.metrics().render()).contains(watched);
        objectsLoop.stop();
        assertThat(loopExit.get(60, TimeUnit.SECONDS)).isZero();
        used.addAll(dr.faults.drainSeen());
        compare(
                grants(
                        "vmconfig-sync",
                        io.vmconfig.testing.Fixtures.ROOT.resolve("deploy/dr/rbac.yaml"),
                        io.vmconfig.testing.Fixtures.ROOT.resolve("deploy/components/prune-deleted/rbac.yaml"),
                        io.vmconfig.testing.Fixtures.ROOT.resolve("deploy/components/tenants/rbac.yaml")),
                used,
                "sync (deploy/dr + prune-deleted + tenants)");
        // the base Roles alone do not allow deleting a VM
        assertThat(grants("vmconfig-sync", io.vmconfig.testing.Fixtures.ROOT.resolve("deploy/dr/rbac.yaml")))
                .noneMatch(g -> g.verb().equals("delete"));
    }
}
