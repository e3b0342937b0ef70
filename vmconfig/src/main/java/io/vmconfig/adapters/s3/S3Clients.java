package io.vmconfig.adapters.s3;

import io.minio.MinioClient;
import io.minio.credentials.StaticProvider;
import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** Builds a MinIO client: endpoint, region, path-style, TLS trusting a custom CA bundle, credentials. */
public final class S3Clients {
    private S3Clients() {}

    public static MinioClient create(S3Location loc, S3Credentials credentials) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .retryOnConnectionFailure(false);
        loc.caBundle().ifPresent(ca -> trust(http, Path.of(ca)));
        MinioClient c;
        try {
            c = MinioClient.builder()
                    .endpoint(loc.endpoint())
                    .region(loc.region())
                    .credentialsProvider(new StaticProvider(
                            credentials.accessKey(),
                            credentials.secretKey(),
                            credentials.sessionToken().orElse(null)))
                    .httpClient(http.build(), true)
                    .build();
        } catch (IllegalArgumentException e) {
            throw VmConfigException.config("invalid S3 endpoint '" + loc.endpoint() + "'");
        }
        if (loc.pathStyle()) {
            c.disableVirtualStyleEndpoint();
        }
        return c;
    }

    /** Trusts exactly the certificates of a PEM bundle (the endpoint's private CA). */
    static void trust(OkHttpClient.Builder http, Path bundle) {
        try (InputStream in = Files.newInputStream(bundle)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw VmConfigException.config("CA bundle " + bundle + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
            http.sslSocketFactory(ctx.getSocketFactory(), tm);
        } catch (IOException | GeneralSecurityException e) {
            throw VmConfigException.config(
                    "cannot use CA bundle " + bundle + ": " + e.getClass().getSimpleName());
        }
    }
}
