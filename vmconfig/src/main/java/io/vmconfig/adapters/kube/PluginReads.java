package io.vmconfig.adapters.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Velero plugin's GETs by name on {@link Http1Reads}, with what fabric8's client would have put on them: each
 * request's headers come from fabric8's own interceptors for the configuration (the bearer token, refreshed as
 * fabric8 refreshes it, impersonation, custom headers) and from the {@link ApiMeter}, which counts and paces it as
 * any other request. Only a 200 and a 404 are taken from here; for anything else {@link #read} says
 * {@code null}, and the caller reads that object through fabric8's client, which retries, refreshes an expired
 * token and classifies the error in the one place errors are classified ({@link KubeErrors}).
 */
final class PluginReads implements AutoCloseable {
    /** The environment variable that turns these reads off for a plugin process: {@code fabric8}. */
    static final String SWITCH = "VMCONFIG_PLUGIN_READS";

    private final Http1Reads reads;
    private final List<Interceptor> interceptors;
    private final ApiMeter meter;
    private final RequestConfig requestConfig;

    private PluginReads(Http1Reads reads, List<Interceptor> interceptors, ApiMeter meter, RequestConfig rc) {
        this.reads = reads;
        this.interceptors = interceptors;
        this.meter = meter;
        this.requestConfig = rc;
    }

    /**
     * The reads for {@code config}, or empty when its connection needs what only fabric8's client does: a proxy, a
     * TLS server name of its own, a scheme other than http and https, a trust or key store it cannot load here.
     */
    static Optional<PluginReads> of(Config config, HttpClient.Factory factory, ApiMeter meter) {
        URI master;
        try {
            master = URI.create(config.getMasterUrl());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String scheme = master.getScheme() == null ? "" : master.getScheme();
        boolean tls = scheme.equals("https");
        if ((!tls && !scheme.equals("http")) || master.getHost() == null) {
            return Optional.empty();
        }
        if ((tls ? config.getHttpsProxy() : config.getHttpProxy()) != null
                || System.getProperty(tls ? "https.proxyHost" : "http.proxyHost") != null
                || (config.getTlsServerName() != null
                        && !config.getTlsServerName().isEmpty())) {
            return Optional.empty();
        }
        javax.net.ssl.SSLSocketFactory sockets = null;
        String[] protocols = null;
        if (tls) {
            try {
                sockets = SSLUtils.sslContext(SSLUtils.keyManagers(config), SSLUtils.trustManagers(config))
                        .getSocketFactory();
            } catch (Exception e) { // fabric8 declares seven checked exceptions here; its own client will report them
                return Optional.empty();
            }
            TlsVersion[] versions = config.getTlsVersions();
            if (versions != null && versions.length > 0) {
                protocols = new String[versions.length];
                for (int i = 0; i < versions.length; i++) {
                    protocols[i] = versions[i].javaName();
                }
            }
        }
        int port = master.getPort() > 0 ? master.getPort() : tls ? 443 : 80;
        String host = master.getHost();
        String hostHeader = master.getPort() > 0 ? host + ":" + port : host;
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Integer connect = config.getConnectionTimeout();
        Integer request = config.getRequestTimeout();
        Http1Reads reads = new Http1Reads(new Http1Reads.Endpoint(
                bare,
                port,
                hostHeader,
                sockets,
                protocols,
                connect == null ? 0 : connect,
                request == null ? 0 : request));
        List<Interceptor> chain = new ArrayList<>(
                HttpClientUtils.createApplicableInterceptors(config, factory).values());
        chain.add(meter);
        return Optional.of(new PluginReads(reads, chain, meter, config.getRequestConfig()));
    }

    /**
     * Each request's answer, in order: a 200 with a body or a 404 as the server gave it, else
     * {@link Http1Reads.Answer#UNANSWERED}, which the caller reads through fabric8's client (so does a request whose
     * interceptors failed: fabric8's client reports what it finds).
     */
    List<Http1Reads.Answer> read(List<HttpRequest> requests) {
        List<Http1Reads.Get> gets = new ArrayList<>(requests.size());
        for (HttpRequest r : requests) {
            Headers h = new Headers();
            boolean sendable;
            try {
                for (Interceptor i : interceptors) {
                    i.before(h, r, this::tag);
                }
                // an interceptor that rewrote the URI wants what this reader does not do
                sendable = !h.uriChanged();
            } catch (RuntimeException e) {
                sendable = false; // e.g. a token refresh that failed: fabric8's client sends it and says why
            }
            URI uri = r.uri();
            String target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
            gets.add(new Http1Reads.Get(sendable ? target : null, h.lines()));
        }
        List<Http1Reads.Answer> answers = reads.read(gets);
        List<Http1Reads.Answer> out = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            Http1Reads.Answer a = answers.get(i);
            meter.answered(requests.get(i), a.code());
            boolean taken = a.code() == 404
                    || (a.code() == 200 && a.body() != null && !a.body().isEmpty());
            out.add(taken ? a : Http1Reads.Answer.UNANSWERED);
        }
        return out;
    }

    int idleConnections() {
        return reads.idleConnections();
    }

    /** An answer that did not match its request: no kept connection is trusted any more. */
    void distrust() {
        reads.discardIdle();
    }

    private <T> T tag(Class<T> type) {
        return type == RequestConfig.class ? type.cast(requestConfig) : null;
    }

    /**
     * The header lines the interceptors set on a request, a name once per value (as fabric8 sends impersonated
     * groups). Locked: a token refresh may set its header later from another thread; what was set by the time the
     * request is written is what it carries.
     */
    private static final class Headers implements BasicBuilder {
        private final List<Map.Entry<String, String>> lines = new ArrayList<>();
        private boolean uriChanged;

        @Override
        public synchronized BasicBuilder uri(URI uri) {
            uriChanged = true;
            return this;
        }

        @Override
        public synchronized BasicBuilder header(String name, String value) {
            lines.add(Map.entry(name, value));
            return this;
        }

        @Override
        public synchronized BasicBuilder setHeader(String name, String value) {
            lines.removeIf(l -> l.getKey().equalsIgnoreCase(name));
            lines.add(Map.entry(name, value));
            return this;
        }

        synchronized boolean uriChanged() {
            return uriChanged;
        }

        synchronized List<Map.Entry<String, String>> lines() {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        reads.close();
    }
}
