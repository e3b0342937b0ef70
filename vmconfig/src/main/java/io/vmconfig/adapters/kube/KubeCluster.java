package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.impl.KubernetesClientImpl;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Kubernetes cluster as vmconfig uses it: every object a Jackson tree (through fabric8's
 * {@code GenericKubernetesResource}, never a typed KubeVirt model), lists paginated, every request counted and paced
 * by the {@link ApiMeter}, every failure classified by {@link KubeErrors}.
 */
public final class KubeCluster implements AutoCloseable {
    public static final int PAGE_SIZE = 500;
    /** fabric8 warns on every v1beta1 kind (KubeVirt's instancetypes): known and chosen, so not repeated to users. */
    @SuppressWarnings("unused") // held: java.util.logging keeps only weak references, and the level must stay
    private static final java.util.logging.Logger VERSION_ALERTS = quietVersionAlerts();

    private final Connection connection;
    private final ApiMeter meter;
    private final String name;
    /** False for a view ({@link #auditedAs}): closing it leaves the shared client open. */
    private final boolean owner;

    private volatile java.util.function.BooleanSupplier fence = () -> true;
    private volatile java.util.function.Supplier<java.util.Optional<io.vmconfig.core.access.Audit>> audit =
            java.util.Optional::empty;

    private static java.util.logging.Logger quietVersionAlerts() {
        java.util.logging.Logger l =
                java.util.logging.Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");
        l.setLevel(java.util.logging.Level.SEVERE);
        return l;
    }

    /**
     * The HTTP client every request goes through and fabric8's client, built on that HTTP client the first time a
     * write, a watch or an error Status needs it: a process that only reads (the Velero plugin's vm-backup) never
     * builds fabric8's client, its Jackson 3 mapper and its operation chain (~900 classes, docs/benchmarks.md, issue
     * 13, seventh session).
     */
    private static final class Connection implements AutoCloseable {
        private final Config config;
        private final HttpClient http;
        /** The plugin's GETs by name on kept-alive connections; null: every read through {@link #http}. */
        private final PluginReads reads;

        private KubernetesClient client;

        private Connection(Config config, HttpClient http, PluginReads reads, KubernetesClient client) {
            this.config = config;
            this.http = http;
            this.reads = reads;
            this.client = client;
        }

        static Connection of(KubernetesClient client) {
            return new Connection(client.getConfiguration(), client.getHttpClient(), null, client);
        }

        static Connection open(Config config, ApiMeter meter) {
            return open(config, meter, HttpClientUtils.getHttpClientFactory(), false);
        }

        static Connection open(Config config, ApiMeter meter, HttpClient.Factory factory, boolean pluginReads) {
            // as KubernetesClientBuilder makes its HTTP client (the factory applies the configuration's TLS,
            // authentication, proxy and timeouts), with the meter installed as instrument() installs it
            HttpClient.Builder b = factory.newBuilder(config);
            b.addOrReplaceInterceptor(METER, meter);
            PluginReads reads =
                    pluginReads ? PluginReads.of(config, factory, meter).orElse(null) : null;
            return new Connection(config, b.build(), reads, null);
        }

        /**
         * Built as {@code KubernetesClientBuilder} builds it, with fabric8's default executor (a thread pool). Not the
         * two-argument constructor: it runs the client's asynchronous work inline, so the leader elector's blocking
         * Lease request runs on fabric8's one process-wide scheduler thread, and when that request's 5xx is retried
         * the retry is scheduled on the same blocked thread: the elector, and every retry in the process, waits
         * forever (LeaseLossTest).
         */
        synchronized KubernetesClient client() {
            if (client == null) {
                client = new KubernetesClientImpl(
                        http, config, null, new io.fabric8.kubernetes.client.utils.KubernetesSerialization());
            }
            return client;
        }

        @Override
        public synchronized void close() {
            if (reads != null) {
                reads.close();
            }
            if (client != null) {
                client.close();
            } else {
                http.close();
            }
        }
    }

    private static final String METER = "vmconfig-meter";

    /** Wraps a client built with {@link #instrument(ApiMeter)} (the meter counts only such clients). */
    public KubeCluster(KubernetesClient client, ApiMeter meter, String name) {
        this(Connection.of(client), meter, name, true);
    }

    private KubeCluster(Connection connection, ApiMeter meter, String name, boolean owner) {
        this.connection = connection;
        this.meter = meter;
        this.name = name;
        this.owner = owner;
    }

    /**
     * The same cluster (client, meter, this cluster's write fence) whose creates and updates carry {@code user} as who
     * asked: the request object a controller acts for ({@code ConfigRestore team-a/web}), not the controller. Other
     * writes through this cluster keep their own stamp; closing the view does not close the client.
     */
    public KubeCluster auditedAs(String user, java.time.Clock clock) {
        KubeCluster view = new KubeCluster(connection, meter, name, false);
        view.fence = this::mayWrite;
        view.audit(user, clock);
        return view;
    }

    /** The builder hook that installs {@code meter}: {@code mockServer.createClient(KubeCluster.instrument(m))}. */
    public static Consumer<KubernetesClientBuilder> instrument(ApiMeter meter) {
        return b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor(METER, meter));
    }

    /**
     * Connects like kubectl: {@code kubeconfig} (else $KUBECONFIG, ~/.kube/config or the in-cluster service
     * account) and {@code context} (else the current one); {@code qps <= 0} means no client-side limit.
     */
    public static KubeCluster connect(String kubeconfig, String context, double qps, int burst) {
        Config config;
        try {
            config = kubeconfig != null
                    ? Config.fromKubeconfig(context, new File(kubeconfig))
                    : Config.autoConfigure(context);
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw VmConfigException.config("cannot load the Kubernetes configuration"
                    + (kubeconfig == null ? "" : " from " + kubeconfig) + (context == null ? "" : " context " + context)
                    + ": " + e.getClass().getSimpleName());
        }
        config.setRequestRetryBackoffLimit(3);
        ApiMeter meter = new ApiMeter(qps, burst);
        return new KubeCluster(
                Connection.open(config, meter),
                meter,
                context != null
                        ? context
                        : config.getCurrentContext() == null
                                ? config.getMasterUrl()
                                : config.getCurrentContext().getName(),
                true);
    }

    /**
     * Every later create, update and delete through this cluster first asks {@code mayWrite}: the sync controller's
     * leadership, so that a replica that lost its Lease writes nothing more, whatever its pass was doing.
     */
    public void fence(java.util.function.BooleanSupplier mayWrite) {
        this.fence = mayWrite;
    }

    /**
     * Every later create and update through this cluster carries {@code audit}'s annotations (who asked, when: the
     * user the pre-flight's SelfSubjectReview named and the clock's time of each write).
     */
    public void audit(String user, java.time.Clock clock) {
        this.audit = () -> java.util.Optional.of(new io.vmconfig.core.access.Audit(user, clock.instant()));
    }

    private ObjectNode audited(ObjectNode object) {
        return audit.get().map(a -> a.stamp(object)).orElse(object);
    }

    /** False once the fence closed (the pass stops applying instead of failing VM after VM). */
    public boolean mayWrite() {
        return fence.getAsBoolean();
    }

    private void checkFence(String what) {
        if (!fence.getAsBoolean()) {
            throw new VmConfigException(
                    VmConfigException.Kind.TRANSIENT,
                    what + ": not written, this replica no longer holds the sync Lease");
        }
    }

    /** fabric8's client on this cluster's connection (built at the first call). */
    public KubernetesClient client() {
        return connection.client();
    }

    /**
     * The cluster a process in a pod sees (the service account's token, CA and the API server from the environment;
     * else KUBECONFIG or ~/.kube/config, as fabric8 resolves them), named {@code name} in messages, every request
     * counted by an unlimited meter: the Velero plugin's cluster.
     */
    public static KubeCluster fromEnvironment(String name) {
        Config config;
        try {
            config = Config.autoConfigure(null);
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw VmConfigException.config("cannot load the Kubernetes configuration of " + name + ": "
                    + e.getClass().getSimpleName());
        }
        return forPlugin(config, name, !"fabric8".equals(System.getenv(PluginReads.SWITCH)));
    }

    /**
     * The plugin's cluster on {@code config}: an unlimited meter, the JDK client's stages on its selector thread, and
     * with {@code pluginReads} its GETs by name on {@link PluginReads} (environment {@code VMCONFIG_PLUGIN_READS=fabric8}
     * turns that off: every read through fabric8's client, as before the fifteenth session).
     */
    static KubeCluster forPlugin(Config config, String name, boolean pluginReads) {
        ApiMeter meter = ApiMeter.unlimited();
        return new KubeCluster(
                Connection.open(config, meter, new SelectorThreadJdkFactory(), pluginReads), meter, name, true);
    }

    /**
     * fabric8's JDK HTTP client factory, but the JDK client runs its own stages (TLS records, the HTTP/1.1 exchange,
     * completing the answer) on its selector thread instead of handing each to a pool thread: the plugin only waits
     * for answers on the calling thread and runs no watch or informer, so nothing blocks in those stages, and the
     * hand-offs were a third of an Execute's CPU (docs/benchmarks.md, issue 13, ninth session).
     */
    static final class SelectorThreadJdkFactory extends io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory {
        @Override
        protected java.net.http.HttpClient.Builder createNewHttpClientBuilder() {
            return java.net.http.HttpClient.newBuilder().executor(Runnable::run);
        }
    }

    public ApiMeter meter() {
        return meter;
    }

    /** The context (or server) name: for messages and as the default source-cluster name. */
    public String name() {
        return name;
    }

    /**
     * Every object of {@code kind} in {@code namespace} (null: all namespaces), page by page ({@link #PAGE_SIZE}), held
     * as one list: for the small kinds (DR inventory, vmconfig's own objects). What may be large is read with
     * {@link #pages}. Reads are raw JSON through fabric8's request path (its authentication, retries, {@link ApiMeter}
     * and error statuses) parsed straight into our trees: no per-kind operation chain and no Jackson 3 bean round trip
     * on the way, so a process that only reads (the Velero plugin) loads fewer classes (docs/benchmarks.md, issue 13,
     * third session).
     */
    public List<ObjectNode> list(KubeKind kind, String namespace, String labelSelector) {
        List<ObjectNode> out = new ArrayList<>();
        listEach(kind, namespace, labelSelector, out::add);
        return out;
    }

    /**
     * The same objects as {@link #list}, handed to {@code page} a page ({@code limit} {@code pageSize}, then
     * {@code continue}) at a time as they come, so that a caller that streams (backup from a cluster) holds one page.
     * A page is not read before the previous one was handled.
     */
    public void pages(
            KubeKind kind, String namespace, String labelSelector, int pageSize, Consumer<List<ObjectNode>> page) {
        pages(listing(kind, namespace), kind, namespace, selector(labelSelector), pageSize, page);
    }

    /**
     * Hands each object of {@code kind} in {@code namespace} to {@code each} as its page comes, and returns the list's
     * resourceVersion (the first page's: a paged list is one snapshot, and a watch of the same selection starts there;
     * "" when the server gives none), or null when the kind is not served here (no objects).
     */
    public String listEach(KubeKind kind, String namespace, String labelSelector, Consumer<ObjectNode> each) {
        return pages(
                listing(kind, namespace),
                kind,
                namespace,
                selector(labelSelector),
                PAGE_SIZE,
                items -> items.forEach(each));
    }

    /**
     * One object by a list call ({@code fieldSelector=metadata.name=NAME}, which the API server serves as a single
     * read): for a reader whose Role grants {@code list} and not {@code get} (the backup, deploy/source/rbac.yaml);
     * empty when there is none.
     */
    public Optional<ObjectNode> find(KubeKind kind, String namespace, String objectName) {
        List<ObjectNode> found = new ArrayList<>(1);
        pages(
                "list " + kind.kind() + " " + ref(namespace, objectName) + " on " + name,
                kind,
                namespace,
                "&fieldSelector=" + encode("metadata.name=" + objectName),
                PAGE_SIZE,
                found::addAll);
        return found.stream().findFirst();
    }

    private String listing(KubeKind kind, String namespace) {
        return "list " + kind.plural() + (namespace == null ? "" : " in " + namespace) + " on " + name;
    }

    private static String selector(String labelSelector) {
        return labelSelector == null ? "" : "&labelSelector=" + encode(labelSelector);
    }

    /**
     * The one paging loop every list goes through: returns the first page's resourceVersion ("" when none), or null
     * when the kind is not served. Only the requests are mapped by {@link KubeErrors}: what {@code page} does with a
     * page fails as itself.
     */
    private String pages(
            String what, KubeKind kind, String namespace, String query, int pageSize, Consumer<List<ObjectNode>> page) {
        if (pageSize < 1) {
            throw VmConfigException.invalid("the page size of a list must be at least 1, not " + pageSize);
        }
        String path = path(kind, kind.namespaced() ? namespace : null, null) + "?limit=" + pageSize + query;
        String version = null;
        String next = null;
        do {
            String url = next == null ? path : path + "&continue=" + encode(next);
            String body = read(what, url);
            if (body == null) {
                if (next == null) {
                    return null; // the kind is not served here (no Multus, no instancetypes): there are none
                }
                throw KubeErrors.map(what, new KubernetesClientException("list ended mid-way", 404, null));
            }
            JsonNode parsed = Json.parse(body, kind.plural());
            if (version == null) {
                version = parsed.path("metadata").path("resourceVersion").asText("");
            }
            List<ObjectNode> items = new ArrayList<>(parsed.path("items").size());
            for (JsonNode item : parsed.path("items")) {
                items.add(tree((ObjectNode) item, kind));
            }
            next = parsed.path("metadata").path("continue").asText(null);
            page.accept(items);
        } while (next != null && !next.isEmpty());
        return version;
    }

    /** Every object of {@code kind} in {@code namespace} (null: all namespaces), to list or watch. */
    FilterWatchListDeletable<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            selection(KubeKind kind, String namespace) {
        var all = client().genericKubernetesResources(kind.context());
        return !kind.namespaced() ? all : namespace == null ? all.inAnyNamespace() : all.inNamespace(namespace);
    }

    public Optional<ObjectNode> get(KubeKind kind, String namespace, String name) {
        return getAll(List.of(new Get(kind, namespace, name))).get(0);
    }

    /** One object {@link #getAll} reads: {@code namespace} is ignored for a cluster-scoped kind. */
    public record Get(KubeKind kind, String namespace, String name) {}

    /**
     * {@link #get} of each of {@code wanted}, answered in the same order: every request is sent before the first
     * answer is awaited (the HTTP client is asynchronous), so a batch takes the time of its slowest read and no thread
     * waits per read (vm-backup reads a VM's dependencies this way). A failed read fails the call with its own
     * classified error, once every answer has come in.
     */
    public List<Optional<ObjectNode>> getAll(List<Get> wanted) {
        int n = wanted.size();
        List<HttpRequest> requests = new ArrayList<>(n);
        List<String> whats = new ArrayList<>(n);
        for (Get g : wanted) {
            String ns = g.kind().namespaced() ? g.namespace() : null;
            requests.add(request(path(g.kind(), ns, g.name())));
            whats.add("get " + g.kind().kind() + " " + ref(ns, g.name()) + " on " + name);
        }
        // the plugin's own reads first: what they did not answer for certain goes through fabric8's client
        List<ObjectNode> direct = direct(wanted, requests);
        List<Read> reads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            reads.add(direct.get(i) != null ? null : new Read(whats.get(i), requests.get(i), send(requests.get(i))));
        }
        List<Optional<ObjectNode>> out = new ArrayList<>(n);
        VmConfigException failure = null;
        for (int i = 0; i < n; i++) {
            KubeKind kind = wanted.get(i).kind();
            ObjectNode known = direct.get(i);
            if (known != null) {
                out.add(known == MISSING ? Optional.empty() : Optional.of(known));
                continue;
            }
            try {
                out.add(Optional.ofNullable(reads.get(i).body())
                        .map(body -> tree((ObjectNode) Json.parse(body, kind.kind()), kind)));
            } catch (VmConfigException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    /**
     * The body of a GET of {@code path} (from the API root), or null for a 404. Sent through the client's own
     * {@code HttpClient} (its authentication, retries and the {@link ApiMeter} interceptor, the request timeout of the
     * client's configuration), the answer's status classified by {@link KubeErrors#body}: fabric8's {@code raw(uri)}
     * answers a 404 with null too, but only after building and catching a {@code KubernetesClientException} (its stack
     * trace and a parse of the Status body), and a missing dependency of a VM is a normal answer that every
     * vm-backup Execute may get (docs/benchmarks.md, issue 13, sixth session).
     */
    private String read(String what, String path) {
        HttpRequest request = request(path);
        return new Read(what, request, send(request)).body();
    }

    /** Connections the plugin's own reads keep for the next batch (0 without them). */
    int ownReadsIdle() {
        return connection.reads == null ? 0 : connection.reads.idleConnections();
    }

    /** Stands for "answered 404" in {@link #direct}'s list. */
    private static final ObjectNode MISSING = Json.object();

    /**
     * Each of {@code wanted} as the plugin's own reads answered it: the object, {@link #MISSING} for a 404, null where
     * fabric8's client must read it (no such reads on this connection, another status, no whole answer, or an
     * object that is not the one asked for, after which no kept connection is trusted).
     */
    private List<ObjectNode> direct(List<Get> wanted, List<HttpRequest> requests) {
        PluginReads own = connection.reads;
        List<ObjectNode> out = new ArrayList<>(java.util.Collections.nCopies(wanted.size(), null));
        if (own == null) {
            return out;
        }
        List<Http1Reads.Answer> answers = own.read(requests);
        for (int i = 0; i < answers.size(); i++) {
            Http1Reads.Answer answer = answers.get(i);
            if (answer.code() == 404) {
                out.set(i, MISSING);
                continue;
            }
            String body = answer.body();
            if (body == null) {
                continue;
            }
            Get g = wanted.get(i);
            ObjectNode o;
            try {
                o = Json.parse(body, g.kind().kind()) instanceof ObjectNode on ? on : null;
            } catch (VmConfigException e) {
                o = null; // fabric8's client reads it again and reports what it gets
            }
            if (o == null || !isAskedFor(o, g)) {
                own.distrust();
                continue;
            }
            out.set(i, tree(o, g.kind()));
        }
        return out;
    }

    /** The answer is the object asked for: its kind and apiVersion, name, and namespace for a namespaced kind. */
    private static boolean isAskedFor(ObjectNode o, Get g) {
        JsonNode meta = o.path("metadata");
        return g.kind().kind().equals(o.path("kind").asText(null))
                && g.kind().apiVersion().equals(o.path("apiVersion").asText(null))
                && g.name().equals(meta.path("name").asText(null))
                && (!g.kind().namespaced()
                        || g.namespace().equals(meta.path("namespace").asText(null)));
    }

    /** A GET sent and not yet awaited. */
    private final class Read {
        private final String what;
        private final HttpRequest request;
        private final CompletableFuture<HttpResponse<String>> response;

        Read(String what, HttpRequest request, CompletableFuture<HttpResponse<String>> response) {
            this.what = what;
            this.request = request;
            this.response = response;
        }

        /** The answer's body, null for a 404, else the failure classified by {@link KubeErrors#body}. */
        String body() {
            return KubeErrors.body(what, request, response, () -> client().getKubernetesSerialization());
        }
    }

    private HttpRequest request(String path) {
        Config config = connection.config;
        return connection
                .http
                .newHttpRequestBuilder()
                .uri(config.getMasterUrl() + path.substring(1))
                .timeout(config.getRequestConfig().getRequestTimeout(), TimeUnit.MILLISECONDS)
                .build();
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return connection.http.sendAsync(request, String.class);
    }

    /** The API path of {@code kind}'s collection (in {@code namespace} unless null) or of one object. */
    private static String path(KubeKind kind, String namespace, String name) {
        StringBuilder p = new StringBuilder(
                kind.group().isEmpty() ? "/api/" + kind.version() : "/apis/" + kind.group() + "/" + kind.version());
        if (namespace != null) {
            p.append("/namespaces/").append(encode(namespace));
        }
        p.append('/').append(kind.plural());
        if (name != null) {
            p.append('/').append(encode(name));
        }
        return p.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Creates {@code object}; the server must not have it yet. */
    public ObjectNode create(KubeKind kind, ObjectNode object) {
        return write("create", kind, audited(object), Resource::create);
    }

    /** Replaces the object; its {@code metadata.resourceVersion} makes a concurrent change a 409 conflict. */
    public ObjectNode update(KubeKind kind, ObjectNode object) {
        return write("update", kind, audited(object), Resource::update);
    }

    /**
     * Replaces the object's {@code status} through the status subresource (the spec is not written: what the
     * controller reports never races with what an operator asks); {@code metadata.resourceVersion} as for update.
     */
    public ObjectNode updateStatus(KubeKind kind, ObjectNode object) {
        return write("update status of", kind, object, Resource::updateStatus);
    }

    private ObjectNode write(
            String verb,
            KubeKind kind,
            ObjectNode object,
            java.util.function.Function<Resource<GenericKubernetesResource>, GenericKubernetesResource> call) {
        String ns = object.path("metadata").path("namespace").asText(null);
        String n = object.path("metadata").path("name").asText();
        String what = verb + " " + kind.kind() + " " + ref(ns, n) + " on " + name;
        checkFence(what);
        return KubeErrors.call(what, () -> tree(call.apply(op(kind, ns).resource(resource(object))), kind));
    }

    public void delete(KubeKind kind, String namespace, String name) {
        String what = "delete " + kind.kind() + " " + ref(namespace, name) + " on " + this.name;
        checkFence(what);
        KubeErrors.call(what, () -> resource(kind, namespace, name).delete());
    }

    private Resource<GenericKubernetesResource> resource(KubeKind kind, String namespace, String name) {
        return op(kind, namespace).withName(name);
    }

    private NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            op(KubeKind kind, String namespace) {
        return kind.namespaced()
                ? client().genericKubernetesResources(kind.context()).inNamespace(namespace)
                : client().genericKubernetesResources(kind.context());
    }

    /** {@code r} (as fabric8's watch reports it) as our tree. */
    ObjectNode tree(GenericKubernetesResource r, KubeKind kind) {
        return tree(
                (ObjectNode) Json.parse(client().getKubernetesSerialization().asJson(r), kind.kind()), kind);
    }

    private static ObjectNode tree(ObjectNode o, KubeKind kind) {
        // lists leave apiVersion/kind off their items on some servers
        o.put("apiVersion", o.path("apiVersion").asText(kind.apiVersion()));
        o.put("kind", o.path("kind").asText(kind.kind()));
        return o;
    }

    private GenericKubernetesResource resource(ObjectNode o) {
        return client().getKubernetesSerialization().unmarshal(Json.compact(o), GenericKubernetesResource.class);
    }

    private static String ref(String ns, String name) {
        return ns == null || ns.isEmpty() ? name : ns + "/" + name;
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        connection.close();
    }
}
