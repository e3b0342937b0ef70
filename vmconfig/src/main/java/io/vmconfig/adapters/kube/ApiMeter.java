package io.vmconfig.adapters.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one HTTP interceptor of every vmconfig Kubernetes client: counts API requests (reads and writes, so tests and
 * the bench can assert on them), spaces them to the configured QPS/burst (a token bucket: fabric8 has no client-side
 * rate limit), and adds {@code fieldManager=vmconfig} to every write so the API server records who wrote which
 * fields.
 */
public final class ApiMeter implements Interceptor {
    public static final String FIELD_MANAGER = "vmconfig";
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong paced = new AtomicLong();
    private final double qps;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();
    private final java.util.List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Told of every resource request (by verb) and of its answer: {@code code} is the HTTP status, 0 when the server
     * was not reached. Metrics count requests and failures here; the sync controller sees its Lease renewals here.
     */
    public interface Listener {
        void request(ApiRequest r);

        void response(ApiRequest r, int code);
    }

    public void listener(Listener l) {
        listeners.add(l);
    }

    /** {@code qps <= 0} turns the limit off. */
    public ApiMeter(double qps, int burst) {
        this.qps = qps;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
    }

    public static ApiMeter unlimited() {
        return new ApiMeter(0, 1);
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        pace();
        String method = request.method();
        ApiRequest parsed = ApiRequest.of(method, request.uri());
        if (parsed != null) {
            listeners.forEach(l -> l.request(parsed));
        }
        if ("GET".equals(method) || "HEAD".equals(method) || (parsed != null && parsed.review())) {
            reads.incrementAndGet();
            return;
        }
        writes.incrementAndGet();
        URI uri = request.uri();
        if (uri.getRawQuery() == null || !uri.getRawQuery().contains("fieldManager=")) {
            String q = uri.getRawQuery() == null ? "" : uri.getRawQuery() + "&";
            builder.uri(URI.create(uri.toString().split("\\?", 2)[0] + "?" + q + "fieldManager=" + FIELD_MANAGER));
        }
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        answered(request, response.code());
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        answered(request, 0);
    }

    /** The answer to a request counted by {@link #before}: {@code code} 0 when none came. */
    void answered(HttpRequest request, int code) {
        ApiRequest parsed = ApiRequest.of(request.method(), request.uri());
        if (parsed != null) {
            listeners.forEach(l -> l.response(parsed, code));
        }
    }

    private void pace() {
        if (qps <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps);
            last = now;
            tokens -= 1;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / qps * 1e9);
        }
        if (waitNanos > 0) {
            paced.incrementAndGet();
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** GET requests (lists, gets). */
    public long reads() {
        return reads.get();
    }

    /** Every request that is not a GET (or a review, a question): create, update, patch, delete. */
    public long writes() {
        return writes.get();
    }

    /** Requests that waited for the QPS/burst bucket (the limit at work, whatever the number of threads). */
    public long paced() {
        return paced.get();
    }

    public void reset() {
        reads.set(0);
        writes.set(0);
        paced.set(0);
    }
}
