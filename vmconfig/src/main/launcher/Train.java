import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.vmconfig.adapters.goplugin.proto.Empty;
import io.vmconfig.adapters.goplugin.proto.GRPCControllerGrpc;
import io.vmconfig.adapters.velero.proto.generated.PluginListerGrpc;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionAppliesToRequest;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionGrpc;
import io.vmconfig.adapters.velero.proto.v2.ExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionAppliesToRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionGrpc;
import io.vmconfig.app.Main;
import io.vmconfig.core.velero.ResourceNames;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The AOT training run of the plugin build (build tooling, not shipped: build-plugin.sh runs it with the build's JDK
 * and the application jar on its class path). It starts the plugin as Velero does, with the command line given after
 * the mode (the runtime's java, -XX:AOTCacheOutput=..., the class path and PluginMain), in the current folder, and
 * reads its handshake line. MODE {@code handshake}: then the first calls Velero makes (ListPlugins, each action's
 * AppliesTo) and SIGTERM, so the cache the JVM writes at exit holds what a plugin needs up to its handshake and its
 * first answer (the default; docs/benchmarks.md says why). MODE
 * {@code execute}: first what Velero calls in a config-only backup, AppliesTo then vm-backup Execute on the fixture
 * VMs (and some in a backup that is not config-only), staging their bundles into a folder repository named by the
 * vm-backup ConfigMap, so the cache also holds the Execute path (the fabric8 client, TLS, the HTTP client, staging).
 * The cluster is an HTTPS API stub in this process (a self-signed certificate as the kubeconfig's CA, a bearer token,
 * as against a real API server) answering the ConfigMap list, the key Secret and the fixture files' objects, 404 for
 * the rest. Usage: java -cp APP_JAR Train.java WORK FIXTURES handshake|execute COMMAND...
 */
public final class Train {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each fixture VM this many times: every class of the path is loaded by the first few. */
    private static final int ROUNDS = 20;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path fixtures = Path.of(args[1]);
        boolean execute = switch (args[2]) {
            case "handshake" -> false;
            case "execute" -> true;
            default -> throw new IllegalArgumentException("MODE is handshake or execute, not " + args[2]);
        };
        List<String> command = List.of(args).subList(3, args.length);
        Files.createDirectories(work);
        if (!execute) {
            train(command, work, null, List.of());
            return;
        }

        // a repository and its keys, as `vmconfig keys generate` and `vmconfig repo init` make them
        String keys = work.resolve("keys").toString();
        String repo = work.resolve("repo").toUri().toString();
        cli("keys", "generate", "--out", keys);
        cli("repo", "init", "--repo", repo, "--signer", keys + "/signing.pub", "--key", keys + "/repository.key");

        Map<String, byte[]> objects = new HashMap<>();
        List<ByteString> vms = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var files = Files.list(fixtures)) {
            for (Path f : files.sorted().toList()) {
                try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        if ("VirtualMachine".equals(doc.path("kind").asText())) {
                            vms.add(ByteString.copyFrom(JSON.writeValueAsBytes(doc)));
                        } else {
                            objects.put(objectPath(doc), JSON.writeValueAsBytes(doc));
                        }
                    }
                }
            }
        }
        ObjectNode configMap = JSON.createObjectNode();
        configMap.put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = configMap.putObject("metadata");
        meta.put("name", "vmconfig-vm-backup").put("namespace", "velero").put("resourceVersion", "1");
        meta.putObject("labels").put("velero.io/plugin-config", "").put("vmconfig.io/vm-backup", "BackupItemActionV2");
        configMap.putObject("data").put("repository", repo).put("repositoryKeySecret", "vmconfig-repository-key");
        ObjectNode list = JSON.createObjectNode();
        list.put("apiVersion", "v1").put("kind", "ConfigMapList");
        list.putObject("metadata").put("resourceVersion", "1");
        list.putArray("items").add(configMap);
        objects.put("/api/v1/namespaces/velero/configmaps", JSON.writeValueAsBytes(list));
        ObjectNode secret = JSON.createObjectNode();
        secret.put("apiVersion", "v1").put("kind", "Secret");
        secret.putObject("metadata").put("name", "vmconfig-repository-key").put("namespace", "velero");
        secret.putObject("data")
                .put(
                        "repository.key",
                        Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(keys, "repository.key"))));
        objects.put(objectPath(secret), JSON.writeValueAsBytes(secret));

        HttpsServer api = apiServer(work, objects);
        Path kubeconfig = kubeconfig(work, api.getAddress().getPort());
        try {
            train(command, work, kubeconfig, vms);
        } finally {
            api.stop(0);
        }
    }

    private static void train(List<String> command, Path work, Path kubeconfig, List<ByteString> vms) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("VELERO_PLUGIN", "hello");
        pb.environment().put("PLUGIN_PROTOCOL_VERSIONS", "2");
        pb.environment().put("PLUGIN_MIN_PORT", "20000");
        pb.environment().put("PLUGIN_MAX_PORT", "25000");
        pb.environment().put("VELERO_NAMESPACE", "velero");
        pb.environment().put("VELERO_SCRATCH_DIR", work.toString());
        if (kubeconfig != null) {
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
        }
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process plugin = pb.start();
        String line =
                new BufferedReader(new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.matches("1\\|2\\|tcp\\|127\\.0\\.0\\.1:\\d+\\|grpc\\|?")) {
            plugin.destroyForcibly();
            throw new IllegalStateException("unexpected handshake line: " + line);
        }
        int port = Integer.parseInt(line.split("\\|")[3].split(":")[1]);
        ManagedChannel channel = OkHttpChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .build();
        if (vms.isEmpty()) {
            try {
                firstCalls(channel);
            } finally {
                channel.shutdownNow();
            }
            // SIGTERM, as Velero's go-plugin ends a plugin it no longer needs: the JVM exits in order and writes the
            // cache of what ran up to the handshake line and the first calls (a gRPC Shutdown would add its own path)
            plugin.destroy();
            waitForExit(plugin, 143);
            return;
        }
        try {
            var bia = BackupItemActionGrpc.newBlockingStub(channel);
            bia.appliesTo(BackupItemActionAppliesToRequest.newBuilder()
                    .setPlugin("vmconfig.io/vm-backup")
                    .build());
            ByteString configOnly =
                    ByteString.copyFromUtf8("{\"metadata\":{\"name\":\"training\",\"uid\":\"training-1\","
                            + "\"labels\":{\"vmconfig.io/config-only\":\"true\"}}}");
            ByteString full =
                    ByteString.copyFromUtf8("{\"metadata\":{\"name\":\"training-full\",\"uid\":\"training-2\"}}");
            for (int i = 0; i < ROUNDS; i++) {
                for (ByteString vm : vms) {
                    bia.execute(ExecuteRequest.newBuilder()
                            .setPlugin("vmconfig.io/vm-backup")
                            .setItem(vm)
                            .setBackup(i % 10 == 9 ? full : configOnly)
                            .build());
                }
            }
            GRPCControllerGrpc.newBlockingStub(channel).shutdown(Empty.getDefaultInstance());
        } finally {
            channel.shutdownNow();
        }
        waitForExit(plugin, 0);
    }

    /**
     * What Velero asks of every plugin process first, on a new connection: the plugin lister's ListPlugins (when
     * Velero's server starts) and each action's AppliesTo (when a backup or restore starts). The HTTP/2 server
     * transport, the call dispatch and protobuf's message classes then come from the cache instead of the jar (356
     * classes, 3.7 MB more cache; Velero's first call 136 -> 19 ms: docs/benchmarks.md, issue 13, twelfth session).
     */
    private static void firstCalls(ManagedChannel channel) {
        PluginListerGrpc.newBlockingStub(channel)
                .listPlugins(io.vmconfig.adapters.velero.proto.generated.Empty.getDefaultInstance());
        BackupItemActionGrpc.newBlockingStub(channel)
                .appliesTo(BackupItemActionAppliesToRequest.newBuilder()
                        .setPlugin("vmconfig.io/vm-backup")
                        .build());
        RestoreItemActionGrpc.newBlockingStub(channel)
                .appliesTo(RestoreItemActionAppliesToRequest.newBuilder()
                        .setPlugin("vmconfig.io/vm-restore")
                        .build());
    }

    /** The plugin writes the cache on its way out. */
    private static void waitForExit(Process plugin, int expected) throws InterruptedException {
        if (!plugin.waitFor(180, TimeUnit.SECONDS)) {
            plugin.destroyForcibly();
            throw new IllegalStateException("the plugin did not exit");
        }
        if (plugin.exitValue() != expected) {
            throw new IllegalStateException("the plugin exited with " + plugin.exitValue() + ", not " + expected);
        }
    }

    private static String objectPath(JsonNode o) {
        String apiVersion = o.path("apiVersion").asText();
        String ns = o.path("metadata").path("namespace").asText("default");
        return (apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion + "/namespaces/" + ns + "/"
                + ResourceNames.plural(o.path("kind").asText()) + "/"
                + o.path("metadata").path("name").asText();
    }

    private static void cli(String... args) {
        java.io.PrintWriter out = new java.io.PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = Main.runner().run(out, out, args);
        if (code != 0) {
            throw new IllegalStateException("vmconfig " + String.join(" ", args) + " exited " + code);
        }
    }

    /** An HTTPS server with a fresh self-signed key (keytool), answering GETs of {@code objects} by path. */
    private static HttpsServer apiServer(Path work, Map<String, byte[]> objects) throws Exception {
        Path store = work.resolve("api.p12");
        run(
                keytool(),
                "-genkeypair",
                "-alias",
                "api",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=kube-apiserver",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "training",
                "-keypass",
                "training");
        run(
                keytool(),
                "-exportcert",
                "-rfc",
                "-alias",
                "api",
                "-keystore",
                store.toString(),
                "-storepass",
                "training",
                "-file",
                work.resolve("ca.crt").toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "training".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "training".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> answer(exchange, objects));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, Map<String, byte[]> objects) throws java.io.IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = "GET".equals(exchange.getRequestMethod())
                ? objects.get(exchange.getRequestURI().getPath())
                : null;
        int code = 200;
        if (body == null) {
            code = 404;
            body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                            + "\"message\":\"not found\",\"reason\":\"NotFound\",\"code\":404}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Path kubeconfig(Path work, int port) throws Exception {
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(work.resolve("ca.crt")));
        Path file = work.resolve("kubeconfig");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "apiVersion: v1",
                        "kind: Config",
                        "clusters:",
                        "- name: training",
                        "  cluster:",
                        "    server: https://127.0.0.1:" + port,
                        "    certificate-authority-data: " + ca,
                        "users:",
                        "- name: velero",
                        "  user:",
                        "    token: training-token",
                        "contexts:",
                        "- name: training",
                        "  context:",
                        "    cluster: training",
                        "    user: velero",
                        "    namespace: velero",
                        "current-context: training",
                        ""));
        return file;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
