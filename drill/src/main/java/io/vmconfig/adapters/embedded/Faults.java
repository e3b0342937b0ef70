package io.vmconfig.adapters.embedded;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vmconfig.adapters.kube.ApiRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Faults injected into the in-process API server, in front of its CRUD store: an HTTP error for the Nth matching
 * request (or a run of them: a 409 storm, a restart seen as 503s), a delay before answering (a slow list, a
 * timeout). Every request the server receives is also recorded as an {@link ApiRequest} (what RBAC would check).
 * Rules are consumed in order; a request matches at most one rule.
 */
public final class Faults extends Dispatcher {
    private final Dispatcher store;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    /**
     * Requests received and not yet drained. A queue, not a copy-on-write list: a list copied on every request made
     * each of the plugin bench's 33,000 reads copy up to that many entries (and gave the bench JVM's collector that
     * much garbage) while the plugin waited for the answer.
     */
    private final java.util.Queue<ApiRequest> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** When each resource request arrived ({@link System#nanoTime()}), as the server saw them. */
    private final java.util.Queue<Long> arrivals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Create requests received per object ({@link #createKey}), retries included; never drained. */
    private final java.util.Map<String, Integer> creates = new java.util.concurrent.ConcurrentHashMap<>();

    private int inside;
    private long busySince;
    private long busyNanos;
    private long dispatched;

    Faults(Dispatcher store) {
        this.store = store;
    }

    private static final class Rule {
        Runnable action;
        /** A request the store handles first, as if another client had sent it just before (no HTTP round trip). */
        String deletePath;
        /** An object the store replaces first with {@link #change} applied, as another client's update would. */
        String updatePath;

        java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change;

        final Predicate<ApiRequest> match;
        int skip;
        int times;
        final int code;
        final Duration delay;
        /** The store handles the request, then the client is answered {@link #code} (the answer was lost). */
        boolean afterStore;

        Rule(Predicate<ApiRequest> match, int skip, int times, int code, Duration delay) {
            this.match = match;
            this.skip = skip;
            this.times = times;
            this.code = code;
            this.delay = delay;
        }
    }

    /** The {@code nth} (1-based) request matching {@code match} from now on, and {@code times - 1} after it, fail. */
    public Faults fail(Predicate<ApiRequest> match, int nth, int times, int code) {
        rules.add(new Rule(match, nth - 1, times, code, Duration.ZERO));
        return this;
    }

    /** The next {@code times} requests matching {@code match} are answered after {@code delay}. */
    public Faults delay(Predicate<ApiRequest> match, int times, Duration delay) {
        rules.add(new Rule(match, 0, times, 0, delay));
        return this;
    }

    /** When the {@code nth} request matching {@code match} arrives, runs {@code action} (it is then answered). */
    public Faults on(Predicate<ApiRequest> match, int nth, Runnable action) {
        Rule r = new Rule(match, nth - 1, 1, 0, Duration.ZERO);
        r.action = action;
        rules.add(r);
        return this;
    }

    /**
     * When the {@code nth} request matching {@code match} arrives, the store first deletes the object at
     * {@code objectPath} ({@code /apis/kubevirt.io/v1/namespaces/NS/virtualmachines/NAME}), as if another client had
     * deleted it just before; then the request is answered. Done inside the server, so that it is certainly done
     * before that request is served (an action making an API call of its own from here would wait for this request).
     */
    public Faults deleteBefore(Predicate<ApiRequest> match, int nth, String objectPath) {
        Rule r = new Rule(match, nth - 1, 1, 0, Duration.ZERO);
        r.deletePath = objectPath;
        rules.add(r);
        return this;
    }

    /**
     * When the {@code nth} request matching {@code match} arrives, the store first replaces the object at
     * {@code objectPath} with {@code change} applied to it (its resourceVersion then moves on), as if another client
     * had updated it just before; then the request is answered — an update carrying the resourceVersion read before
     * gets the API server's 409. Done inside the server, as {@link #deleteBefore}.
     */
    public Faults updateBefore(
            Predicate<ApiRequest> match,
            int nth,
            String objectPath,
            java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change) {
        Rule r = new Rule(match, nth - 1, 1, 0, Duration.ZERO);
        r.updatePath = objectPath;
        r.change = change;
        rules.add(r);
        return this;
    }

    /**
     * The {@code nth} request matching {@code match} is done by the store, but its answer is lost: the client gets
     * {@code code} (a 504 as from a proxy that timed the request out), as on a loaded machine where the client gave up
     * on a request the server had carried out. A client that retries sends it again.
     */
    public Faults loseAnswer(Predicate<ApiRequest> match, int nth, int code) {
        Rule r = new Rule(match, nth - 1, 1, code, Duration.ZERO);
        r.afterStore = true;
        rules.add(r);
        return this;
    }

    /**
     * How many create requests for the object {@code name} of {@code resource} in {@code namespace} (null when
     * cluster-scoped) the server has received so far, a client's retries included.
     */
    public int creates(String resource, String namespace, String name) {
        return creates.getOrDefault(createKey(resource, namespace, name), 0);
    }

    private static String createKey(String resource, String namespace, String name) {
        return resource + "|" + (namespace == null ? "" : namespace) + "|" + name;
    }

    public void clear() {
        rules.clear();
    }

    /** Faults that were armed but not yet fired (a test checks that its fault happened). */
    public int pending() {
        return rules.stream().mapToInt(r -> r.times).sum();
    }

    /** Every resource request received since the last call, in order. */
    public List<ApiRequest> drainSeen() {
        List<ApiRequest> out = new ArrayList<>();
        for (ApiRequest r = seen.poll(); r != null; r = seen.poll()) {
            out.add(r);
        }
        return out;
    }

    /**
     * When each resource request received since the last call arrived ({@link System#nanoTime()}, in arrival order):
     * the rate the server saw, whatever the client says it sent.
     */
    public List<Long> drainArrivals() {
        List<Long> out = new ArrayList<>();
        for (Long t = arrivals.poll(); t != null; t = arrivals.poll()) {
            out.add(t);
        }
        return out;
    }

    public static Predicate<ApiRequest> writes() {
        return r ->
                !r.verb().equals("get") && !r.verb().equals("list") && !r.verb().equals("watch");
    }

    public static Predicate<ApiRequest> any() {
        return r -> true;
    }

    public static Predicate<ApiRequest> verb(String verb, String resource) {
        return r -> r.verb().equals(verb) && (resource == null || r.resource().equals(resource));
    }

    /**
     * Wall time (ns) during which at least one request was inside this dispatcher (and the store behind it): the
     * server's share of a run, so that what is left of the run's wall time is the client's (bench/dr-sync). Parallel
     * requests are counted once, not summed.
     */
    public synchronized long busyNanos() {
        return busyNanos + (inside > 0 ? System.nanoTime() - busySince : 0);
    }

    /** Requests dispatched so far (every request, resource or not). */
    public synchronized long dispatched() {
        return dispatched;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        synchronized (this) {
            dispatched++;
            if (inside++ == 0) {
                busySince = System.nanoTime();
            }
        }
        try {
            return dispatchTimed(request);
        } finally {
            synchronized (this) {
                if (--inside == 0) {
                    busyNanos += System.nanoTime() - busySince;
                }
            }
        }
    }

    /** Another client's request, served by the store with {@code like}'s headers (no HTTP round trip). */
    private MockResponse another(
            RecordedRequest like, io.fabric8.mockwebserver.dsl.HttpMethod method, String path, byte[] body) {
        return store.dispatch(new RecordedRequest(
                like.getHttpVersion(),
                method,
                path,
                like.getHeaders(),
                new io.fabric8.mockwebserver.http.Buffer(body)));
    }

    private MockResponse dispatchTimed(RecordedRequest request) {
        ApiRequest r = ApiRequest.of(request.getMethod(), URI.create(request.getPath()));
        if (r != null) {
            arrivals.add(System.nanoTime());
            seen.add(r);
            if (r.verb().equals("create")) {
                creates.merge(createKey(r.resource(), r.namespace(), createdName(request)), 1, Integer::sum);
            }
            Rule fire = null;
            synchronized (this) {
                for (Rule rule : rules) {
                    if (rule.times > 0 && rule.match.test(r)) {
                        if (rule.skip > 0) {
                            rule.skip--;
                            continue;
                        }
                        rule.times--;
                        fire = rule;
                        break;
                    }
                }
                rules.removeIf(x -> x.times <= 0);
            }
            if (fire != null && fire.deletePath != null) {
                MockResponse deleted =
                        another(request, io.fabric8.mockwebserver.dsl.HttpMethod.DELETE, fire.deletePath, new byte[0]);
                if (deleted.code() != 200) {
                    throw new IllegalStateException("delete " + fire.deletePath + ": HTTP " + deleted.code());
                }
                return store.dispatch(request);
            }
            if (fire != null && fire.updatePath != null) {
                MockResponse read =
                        another(request, io.fabric8.mockwebserver.dsl.HttpMethod.GET, fire.updatePath, new byte[0]);
                if (read.code() != 200) {
                    throw new IllegalStateException("get " + fire.updatePath + ": HTTP " + read.code());
                }
                com.fasterxml.jackson.databind.node.ObjectNode object =
                        (com.fasterxml.jackson.databind.node.ObjectNode) io.vmconfig.core.json.Json.parse(
                                new String(read.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8),
                                fire.updatePath);
                fire.change.accept(object);
                MockResponse updated = another(
                        request,
                        io.fabric8.mockwebserver.dsl.HttpMethod.PUT,
                        fire.updatePath,
                        io.vmconfig.core.json.Json.compact(object).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (updated.code() != 200) {
                    throw new IllegalStateException("update " + fire.updatePath + ": HTTP " + updated.code());
                }
                return store.dispatch(request);
            }
            if (fire != null && fire.action != null) {
                fire.action.run();
                return store.dispatch(request);
            }
            if (fire != null && fire.afterStore) {
                store.dispatch(request);
                return failure(fire.code);
            }
            if (fire != null && fire.code > 0) {
                return failure(fire.code);
            }
            if (fire != null) {
                return store.dispatch(request).setBodyDelay(fire.delay);
            }
        }
        return store.dispatch(request);
    }

    private static MockResponse failure(int code) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code
                        + ",\"reason\":\"" + reason(code) + "\",\"message\":\"injected fault\"}");
    }

    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    /**
     * The name a create request's body gives its object ("" when it says none), read with the streaming parser up to
     * {@code metadata.name} (every create passes here; the bench times the server).
     */
    private static String createdName(RecordedRequest request) {
        if (request.getBody() == null) {
            return "";
        }
        // getBytes leaves the body in place for the store (getUtf8Body would consume it)
        try (com.fasterxml.jackson.core.JsonParser p =
                JSON.createParser(request.getBody().getBytes())) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return "";
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if (!field.equals("metadata") || value != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    if (key.equals("name")) {
                        return p.getValueAsString("");
                    }
                    p.skipChildren();
                }
                return "";
            }
            return "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String reason(int code) {
        return switch (code) {
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "InternalError";
        };
    }

    @Override
    public void shutdown() {
        store.shutdown();
    }
}
