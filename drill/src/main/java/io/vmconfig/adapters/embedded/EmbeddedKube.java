package io.vmconfig.adapters.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.ApiMeter;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeErrors;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.vm.StructuralSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * An in-process Kubernetes API server (fabric8's mock in CRUD mode) on loopback, with a kubeconfig file whose
 * context is {@code name}, and a metered client to seed and inspect it. The drill can use it as is.
 */
public final class EmbeddedKube implements AutoCloseable {
    public final String name;
    public final KubernetesMockServer server;
    public final ApiMeter meter = ApiMeter.unlimited();
    public final KubeCluster cluster;
    public final Path kubeconfig;
    /** Faults to inject, and every request the server received ({@link Faults#drainSeen()}). */
    public final Faults faults;
    /** Authentication and RBAC in front of everything (see {@link Rbac}); add users with {@link #user}. */
    public final Rbac rbac;

    /** The mock logs every request at INFO: kept quiet (and referenced, so the level holds). */
    private static final java.util.logging.Logger MOCK_LOG = quiet();

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    private EmbeddedKube(String name, Path dir) {
        this.name = name;
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        ObjectNode crd = vmCrd();
        faults = new Faults(new AdmittingDispatcher(
                expectations, StructuralSchema.fromCrd(crd, "v1").orElseThrow()));
        rbac = new Rbac(faults);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, rbac, true);
        server.init();
        for (KubeKind k : KubeKind.known()) {
            if (!k.group().isEmpty()) {
                server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                        .withGroup(k.group())
                        .withVersion(k.version())
                        .withKind(k.kind())
                        .withPlural(k.plural())
                        .withScope(k.namespaced() ? "Namespaced" : "Cluster")
                        .build());
            }
        }
        cluster = new KubeCluster(server.createClient(KubeCluster.instrument(meter)), meter, name);
        create(KubeKind.CRD, crd);
        meter.reset();
        faults.drainSeen();
        kubeconfig = dir.resolve(name + ".kubeconfig");
        writeKubeconfig(kubeconfig, this);
    }

    /**
     * The CustomResourceDefinition of VirtualMachines this server serves (and checks every VM write against), as a
     * real DR cluster serves KubeVirt's; {@code DrReader} reads it from there like from any cluster.
     */
    public static ObjectNode vmCrd() {
        String resource = "virtualmachines.kubevirt.io.crd.yaml";
        try (var in = EmbeddedKube.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the build");
            }
            return (ObjectNode)
                    Yaml.parseAll(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), resource)
                            .get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A kubeconfig file with one context per cluster (named as the cluster); the first is the current one. */
    public static Path writeKubeconfig(Path file, EmbeddedKube... clusters) {
        StringBuilder c = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        StringBuilder u = new StringBuilder("users:\n");
        StringBuilder x = new StringBuilder("contexts:\n");
        for (EmbeddedKube k : clusters) {
            c.append("- name: ")
                    .append(k.name)
                    .append("\n  cluster:\n    insecure-skip-tls-verify: true\n    server: ")
                    .append(k.server.url("/").replaceAll("/$", ""))
                    .append('\n');
            u.append("- name: ")
                    .append(k.name)
                    .append("\n  user:\n    token: ")
                    .append(Rbac.ADMIN_TOKEN)
                    .append('\n');
            x.append("- name: ")
                    .append(k.name)
                    .append("\n  context:\n    cluster: ")
                    .append(k.name)
                    .append("\n    user: ")
                    .append(k.name)
                    .append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(
                    file,
                    c.append(u)
                            .append(x)
                            .append("current-context: ")
                            .append(clusters[0].name)
                            .append('\n')
                            .toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A user of this server (with {@code groups}, and {@code system:authenticated}) that has no rights until a binding
     * gives it some; returns the arguments that run a command as that user ({@code --kubeconfig} of a file of its own
     * beside the default one, and {@code --context}).
     */
    public String[] user(String user, String... groups) {
        java.util.List<String> g = new java.util.ArrayList<>(java.util.List.of(groups));
        g.add("system:authenticated");
        String token = "token-" + user;
        rbac.addUser(token, new Rbac.User(user, g));
        Path file = kubeconfig.resolveSibling(name + "-" + user + ".kubeconfig");
        try {
            Files.writeString(
                    file,
                    Files.readString(kubeconfig)
                            .replace("    token: " + Rbac.ADMIN_TOKEN + "\n", "    token: " + token + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String[] {"--kubeconfig", file.toString(), "--context", name};
    }

    /**
     * The environment a client in a pod finds this server by, with no kubeconfig file: the server at {@code url} (this
     * server's own, or an {@link Http2Listener}'s), the admin's token, and trust as the service account gives it
     * (fabric8 reads them from the environment here, from the mounted account files in a pod).
     */
    public java.util.Map<String, String> podEnvironment(String url) {
        return java.util.Map.of(
                "KUBERNETES_MASTER", url.replaceAll("/$", ""),
                "KUBERNETES_AUTH_TOKEN", Rbac.ADMIN_TOKEN,
                "KUBERNETES_TRUST_CERTIFICATES", "true",
                "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    }

    public static EmbeddedKube start(String name, Path dir) {
        return new EmbeddedKube(name, dir);
    }

    /** Creates every object of the files under {@code path} (VMs at kubevirt.io/v1, as a real server serves them). */
    public EmbeddedKube seed(Path path) {
        KubeObjectReader.read(path).forEach(o -> create((ObjectNode) o.object()));
        return this;
    }

    public ObjectNode create(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        if ("VirtualMachine".equals(c.path("kind").asText())) {
            c.put("apiVersion", "kubevirt.io/v1");
        }
        return create(KubeKind.of(c.path("apiVersion").asText(), c.path("kind").asText()), c);
    }

    /**
     * The test kit's one create: creates {@code o}; the server must not have it yet. One case is not a failure: on a
     * loaded machine the client can give up on a create the server carried out and send it again (fabric8 retries
     * timeouts and 5xx), which the server answers 409 AlreadyExists. When the server received more than one create of
     * this object during this call and holds what was sent, that 409 is the client's own earlier attempt and the
     * stored object is returned; a 409 for an object that was there before (one create sent) or that holds something
     * else stays an error.
     */
    public ObjectNode create(KubeKind kind, ObjectNode o) {
        String namespace =
                kind.namespaced() ? o.path("metadata").path("namespace").asText(null) : null;
        String objectName = o.path("metadata").path("name").asText();
        int sentBefore = faults.creates(kind.plural(), namespace, objectName);
        try {
            return cluster.create(kind, o);
        } catch (VmConfigException e) {
            boolean retried = faults.creates(kind.plural(), namespace, objectName) - sentBefore > 1;
            if (!retried || !KubeErrors.isConflict(e)) {
                throw e;
            }
            return cluster.get(kind, namespace, objectName)
                    .filter(stored -> sameContent(o, stored))
                    .orElseThrow(() -> e);
        }
    }

    /** The same object but for what the server sets (metadata other than labels and annotations, status). */
    static boolean sameContent(ObjectNode sent, ObjectNode stored) {
        return withoutServerFields(sent).equals(withoutServerFields(stored));
    }

    private static ObjectNode withoutServerFields(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        c.remove(java.util.List.of("metadata", "status", "apiVersion"));
        ObjectNode md = c.putObject("metadata");
        md.set("labels", emptyIfMissing(o.path("metadata").path("labels")));
        md.set("annotations", emptyIfMissing(o.path("metadata").path("annotations")));
        return c;
    }

    private static com.fasterxml.jackson.databind.JsonNode emptyIfMissing(com.fasterxml.jackson.databind.JsonNode n) {
        return n.isObject() ? n : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    /** A Role in {@code ns} (a ClusterRole when {@code ns} is null) named {@code name} with {@code rules} (YAML flow list). */
    public void role(String ns, String name, String rules) {
        create(
                ns == null ? Rbac.CLUSTER_ROLE : Rbac.ROLE,
                rbacObject(ns == null ? "ClusterRole" : "Role", ns, name, "rules: " + rules));
    }

    /** Binds {@code subject} ("User alice", "Group ops") to {@code roleKind roleName}, in {@code ns} or cluster-wide. */
    public void bind(String ns, String name, String roleKind, String roleName, String subject) {
        String[] s = subject.split(" ");
        create(
                ns == null ? Rbac.CLUSTER_ROLE_BINDING : Rbac.ROLE_BINDING,
                rbacObject(
                        ns == null ? "ClusterRoleBinding" : "RoleBinding",
                        ns,
                        name,
                        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: " + roleKind + ", name: " + roleName
                                + "}\nsubjects: [{kind: " + s[0] + ", name: " + s[1]
                                + ", apiGroup: rbac.authorization.k8s.io}]"));
    }

    private static ObjectNode rbacObject(String kind, String ns, String name, String body) {
        String yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: " + kind + "\nmetadata: {name: " + name
                + (ns == null ? "" : ", namespace: " + ns) + "}\n" + body + "\n";
        return (ObjectNode) Yaml.parseAll(yaml, kind + " " + name).get(0);
    }

    /**
     * Write requests (POST, PUT, PATCH, DELETE; not the reviews, which store nothing) the API server received since
     * the last call, from every client: what the server saw, not what one client sent.
     */
    public long drainWrites() {
        return drainWriteRequests().size();
    }

    /** The same write requests, each as RBAC sees it (verb, group, resource, namespace, name). */
    public java.util.List<io.vmconfig.adapters.kube.ApiRequest> drainWriteRequests() {
        java.util.List<io.vmconfig.adapters.kube.ApiRequest> writes = new java.util.ArrayList<>();
        try {
            for (var r = server.takeRequest(20, java.util.concurrent.TimeUnit.MILLISECONDS);
                    r != null;
                    r = server.takeRequest(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                String m = r.getMethod();
                io.vmconfig.adapters.kube.ApiRequest a =
                        io.vmconfig.adapters.kube.ApiRequest.of(m, java.net.URI.create(r.getPath()));
                if (!"GET".equals(m) && !"HEAD".equals(m) && (a == null || !a.review())) {
                    writes.add(
                            a != null ? a : new io.vmconfig.adapters.kube.ApiRequest(m, "", r.getPath(), null, null));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return writes;
    }

    public String[] contextArgs() {
        return new String[] {"--kubeconfig", kubeconfig.toString(), "--context", name};
    }

    @Override
    public void close() {
        cluster.close();
        server.destroy();
    }
}
