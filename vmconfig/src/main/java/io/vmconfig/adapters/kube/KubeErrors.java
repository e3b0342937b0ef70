package io.vmconfig.adapters.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.VmConfigException.Kind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Where Kubernetes client failures become classified {@link VmConfigException}s: one place for every call. */
public final class KubeErrors {
    public static final int CONFLICT = 409;
    public static final int NOT_FOUND = 404;

    private KubeErrors() {}

    /** Runs {@code call}; a client failure becomes a classified exception naming {@code what}. */
    public static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw map(what, e);
        }
    }

    /**
     * The body of {@code response} to {@code request} when it succeeded, null for a 404 (the object or the kind is not
     * there: a normal answer, so no exception is built for it), else the failure classified by {@link #map} as
     * fabric8 would have reported it (its Status, parsed by {@code serialization}'s mapper made only then, or the
     * connection's failure after the client's retries).
     */
    public static String body(
            String what,
            HttpRequest request,
            CompletableFuture<HttpResponse<String>> response,
            Supplier<KubernetesSerialization> serialization) {
        HttpResponse<String> r;
        try {
            r = response.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw map(what, new KubernetesClientException("interrupted", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            // as fabric8's own request path reports it: its exception, or the I/O failure as the cause of one
            throw map(
                    what,
                    cause instanceof KubernetesClientException k
                            ? k
                            : new KubernetesClientException(cause.getMessage(), cause));
        }
        if (r.isSuccessful()) {
            return r.body();
        }
        if (r.code() == NOT_FOUND) {
            return null;
        }
        throw map(
                what, OperationSupport.requestFailure(request, OperationSupport.createStatus(r, serialization.get())));
    }

    public static VmConfigException map(String what, KubernetesClientException e) {
        int code = e.getCode();
        String reason = e.getStatus() != null && e.getStatus().getReason() != null
                ? e.getStatus().getReason()
                : e.getCause() != null ? e.getCause().getClass().getSimpleName() : "error";
        Kind kind = switch (code) {
            // fabric8 reports a server it could not reach (refused, reset, timed out) as code -1 (0 in older versions)
            case -1, 0, 408, 409, 429, 500, 502, 503, 504 -> Kind.TRANSIENT;
            case 400, 422 -> Kind.INVALID_INPUT;
            case 401, 403 -> Kind.CONFIG;
            default -> code > 500 || code < 0 ? Kind.TRANSIENT : Kind.IO;
        };
        String status = code <= 0 ? "cluster unreachable (" + reason + ")" : "HTTP " + code + " " + reason;
        if (code == 403 && e.getStatus() != null && e.getStatus().getMessage() != null) {
            // RBAC's own words name the user, verb, resource and namespace (never object contents)
            status += " (" + e.getStatus().getMessage() + ")";
        }
        return new VmConfigException(kind, what + ": " + status, e);
    }

    /** The API server's 403: the caller is not allowed (RBAC), as opposed to not authenticated (401). */
    public static boolean isForbidden(Throwable e) {
        return e instanceof VmConfigException v
                && v.getCause() instanceof KubernetesClientException k
                && k.getCode() == 403;
    }

    public static boolean isConflict(Throwable e) {
        return e instanceof VmConfigException v
                && v.getCause() instanceof KubernetesClientException k
                && k.getCode() == CONFLICT;
    }
}
