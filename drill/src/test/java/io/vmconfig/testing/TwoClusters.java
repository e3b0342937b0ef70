package io.vmconfig.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.cli.KubeConnector;
import io.vmconfig.core.json.Json;
import java.nio.file.Path;

/**
 * A production and a DR cluster (in-process API servers seeded with the examples), keys and a repository: what the
 * controller tests start from.
 */
public final class TwoClusters implements AutoCloseable {
    public static final String MAP =
            Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();
    public final String keys;
    public final String repo;
    public final EmbeddedKube prod;
    public final EmbeddedKube dr;
    private final Path tmp;

    private TwoClusters(Path tmp) {
        this.tmp = tmp;
        keys = TestRepository.keys(tmp);
        repo = tmp.resolve("repo").toString();
        TestRepository.init(repo, keys);
        prod = EmbeddedKube.start("prod", tmp).seed(Fixtures.EXAMPLES.resolve("production"));
        dr = EmbeddedKube.start("dr", tmp).seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"));
        prod.faults.drainSeen();
        dr.faults.drainSeen();
    }

    /** A change made in {@code cluster} as a user would: {@code cores} CPU cores (the API server raises the generation). */
    public static void changeCores(EmbeddedKube cluster, String ns, String name, int cores) {
        ObjectNode vm = cluster.cluster.get(KubeKind.VM, ns, name).orElseThrow();
        Json.ensureObject(vm, "spec", "template", "spec", "domain", "cpu").put("cores", cores);
        cluster.cluster.update(KubeKind.VM, vm);
    }

    /** Connects as commands do, adding the meter of each connection to {@code meters} (in order). */
    public static KubeConnector metered(java.util.List<io.vmconfig.adapters.kube.ApiMeter> meters) {
        return (kubeconfig, context, qps, burst) -> {
            io.vmconfig.adapters.kube.KubeCluster c =
                    io.vmconfig.adapters.kube.KubeCluster.connect(kubeconfig, context, qps, burst);
            meters.add(c.meter());
            return c;
        };
    }

    public static TwoClusters start(Path tmp) {
        return new TwoClusters(tmp);
    }

    /** A signed set of production; returns its id. */
    public String backup() {
        return Json.parse(backup(repo, keys, prod, "-o", "json").out(), "backup")
                .path("set")
                .asText();
    }

    /**
     * {@code vmconfig backup} of {@code prod} (source cluster "prod") into {@code repo} with {@code keys} and
     * {@code more}; checks that it succeeded.
     */
    public static Cli.Result backup(String repo, String keys, EmbeddedKube prod, String... more) {
        return backupAs(repo, keys, prod, "prod", more);
    }

    /** Backs up the VMs of {@code from} into {@code repo} as {@code sourceCluster}, with {@code more}; must exit 0. */
    public Cli.Result backupFrom(EmbeddedKube from, String repo, String sourceCluster, String... more) {
        return backupAs(repo, keys, from, sourceCluster, more);
    }

    private static Cli.Result backupAs(
            String repo, String keys, EmbeddedKube from, String sourceCluster, String... more) {
        return ok(on(
                from,
                TestRepository.args(
                        "backup", TestRepository.writer(repo, keys), "--source-cluster", sourceCluster, more)));
    }

    /** {@code command} (restore, plan, sync) with the repository, keys and map, {@code more}, then {@code context}. */
    public String[] drArgs(String command, String[] context, String... more) {
        return TestRepository.args(command, TestRepository.reader(repo, keys, MAP), more, context);
    }

    /** {@code command} with {@code repo}, the keys and {@code map}, {@code more}, then {@code context}. */
    public String[] args(String command, String repo, String map, String[] context, String... more) {
        return TestRepository.args(command, TestRepository.reader(repo, keys, map), more, context);
    }

    public Cli.Result onDr(KubeConnector connector, String command, String... more) {
        return Cli.run(connector, drArgs(command, dr.contextArgs(), more));
    }

    /**
     * The DR side as objects instead of flags: deploy/crds installed, the example map as VolumeMap
     * {@code vmconfig-system/dr}, the keys in Secret {@code vmconfig-system/vmconfig-keys}, and ConfigSync
     * {@code vmconfig-system/NAME} pointing at the repository with {@code namespaces} (none: every namespace).
     */
    public ObjectNode configSync(String name, String... namespaces) {
        io.vmconfig.adapters.files.KubeObjectReader.read(Fixtures.ROOT.resolve("deploy/crds")).stream()
                .map(o -> (ObjectNode) o.object())
                .filter(o -> o.path("kind").asText().equals("CustomResourceDefinition"))
                .filter(o -> dr.cluster
                        .get(KubeKind.CRD, null, o.at("/metadata/name").asText())
                        .isEmpty())
                .forEach(o -> dr.create(KubeKind.CRD, o));
        if (dr.cluster.get(KubeKind.NAMESPACE, null, "vmconfig-system").isEmpty()) {
            dr.create(KubeKind.NAMESPACE, (ObjectNode) Json.parse(
                    "{\"apiVersion\":\"v1\",\"kind\":" + "\"Namespace\",\"metadata\":{\"name\":\"vmconfig-system\"}}",
                    "ns"));
        }
        if (dr.cluster.get(KubeKind.VOLUME_MAP, "vmconfig-system", "dr").isEmpty()) {
            ObjectNode map = (ObjectNode) io.vmconfig.core.json.Yaml.parseAll(Fixtures.read(Path.of(MAP)), MAP)
                    .get(0);
            ((ObjectNode) map.get("metadata")).put("name", "dr").put("namespace", "vmconfig-system");
            dr.create(KubeKind.VOLUME_MAP, map);
            ObjectNode secret = Json.object().put("apiVersion", "v1").put("kind", "Secret");
            secret.putObject("metadata").put("name", "vmconfig-keys").put("namespace", "vmconfig-system");
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            secret.putObject("data")
                    .put(
                            "signing.pub",
                            b64.encodeToString(Fixtures.read(Path.of(keys, "signing.pub"))
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .put(
                            "repository.key",
                            b64.encodeToString(Fixtures.read(Path.of(keys, "repository.key"))
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            dr.create(KubeKind.SECRET, secret);
        }
        ObjectNode cs = Json.object().put("apiVersion", "vmconfig.io/v1").put("kind", "ConfigSync");
        cs.putObject("metadata").put("name", name).put("namespace", "vmconfig-system");
        ObjectNode spec = cs.putObject("spec");
        spec.putObject("repository").put("url", repo);
        spec.putObject("verifyKeySecretRef").put("name", "vmconfig-keys");
        spec.putObject("repositoryKeySecretRef").put("name", "vmconfig-keys");
        spec.putObject("volumeMapRef").put("name", "dr");
        spec.put("interval", "1h");
        for (String ns : namespaces) {
            spec.withArray("namespaces").add(ns);
        }
        ObjectNode created = dr.create(KubeKind.CONFIG_SYNC, cs);
        dr.faults.drainSeen();
        return created;
    }

    /** Another repository under the test's folder, initialised with the same keys (e.g. failback's). */
    public String newRepo(String name) {
        String r = tmp.resolve(name).toString();
        TestRepository.init(r, keys);
        return r;
    }

    /** The command {@code args} run against {@code cluster} (its kubeconfig and context appended). */
    public static Cli.Result on(EmbeddedKube cluster, String... args) {
        return Cli.run(TestRepository.args(args, cluster.contextArgs()));
    }

    /** {@code r}, which must have exited 0 (else its output is the failure's message). */
    public static Cli.Result ok(Cli.Result r) {
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        return r;
    }

    /** Backs up the VMs of {@code from} matching {@code selector} into {@code repo} as {@code sourceCluster}. */
    public Cli.Result backup(EmbeddedKube from, String repo, String sourceCluster, String selector) {
        return backupFrom(from, repo, sourceCluster, "-l", selector);
    }

    /** Restores the latest set of {@code repo} onto {@code onto} through {@code map}, {@code -o json}. */
    public Cli.Result restore(EmbeddedKube onto, String repo, String map) {
        return Cli.run(args("restore", repo, map, onto.contextArgs(), "-o", "json"));
    }

    /** Halts the VM as a person stops it: no running flag, runStrategy Halted, status Stopped. */
    public static void stop(EmbeddedKube cluster, String ns, String name) {
        ObjectNode v = cluster.cluster.get(KubeKind.VM, ns, name).orElseThrow();
        ((ObjectNode) v.path("spec")).remove("running");
        ((ObjectNode) v.path("spec")).put("runStrategy", "Halted");
        Json.ensureObject(v, "status").put("printableStatus", "Stopped");
        cluster.cluster.update(KubeKind.VM, v);
    }

    @Override
    public void close() {
        prod.close();
        dr.close();
    }
}
