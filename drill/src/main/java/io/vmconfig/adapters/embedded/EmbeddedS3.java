package io.vmconfig.adapters.embedded;

import io.vmconfig.adapters.s3.S3BlobStore;
import io.vmconfig.adapters.s3.S3Credentials;
import io.vmconfig.adapters.s3.S3Location;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 server over HTTP on 127.0.0.1: S3Proxy in-process with its transient (in-memory) backend and AWS
 * signature checking on. One per test JVM; each caller gets a fresh bucket.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "vmconfig-local-access";
    public static final String SECRET_KEY = "vmconfig-local-secret-do-not-print";
    private static EmbeddedS3 instance;
    private S3Proxy proxy;
    /** Kept apart from the proxy: a stopped proxy no longer knows its port. */
    private final int port;

    private final BlobStore backend;
    private final AtomicInteger buckets = new AtomicInteger();

    private EmbeddedS3() throws Exception {
        backend = new TransientNio2BlobStore();
        proxy = serve(backend, 0);
        port = proxy.getPort();
    }

    private static S3Proxy serve(BlobStore backend, int onPort) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(backend)
                .endpoint(URI.create("http://127.0.0.1:" + onPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        return proxy;
    }

    /**
     * An outage as a client sees one: the server stops and nothing listens on its port (connections refused, open
     * ones closed) until {@link #recover()}; the buckets and their objects are kept. Use it on a server of your own
     * ({@link #start()}), not on the shared one.
     */
    public synchronized void outage() throws Exception {
        proxy.stop();
    }

    /** The server answers again on the same endpoint with the same objects. */
    public synchronized void recover() throws Exception {
        proxy = serve(backend, port);
    }

    /** A server of its own (the drill's), stopped by {@link #close()}. */
    public static EmbeddedS3 start() throws Exception {
        return new EmbeddedS3();
    }

    @Override
    public synchronized void close() throws Exception {
        proxy.stop();
    }

    /** Writes the server's credentials as an AWS shared-credentials file (Velero's format), profile default. */
    public static java.nio.file.Path writeCredentials(java.nio.file.Path file) throws java.io.IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(
                file,
                "[default]\naws_access_key_id = " + ACCESS_KEY + "\naws_secret_access_key = " + SECRET_KEY + "\n");
        return file;
    }

    public static synchronized EmbeddedS3 get() throws Exception {
        if (instance == null) {
            instance = new EmbeddedS3();
        }
        return instance;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public static S3Credentials credentials() {
        return new S3Credentials(ACCESS_KEY, SECRET_KEY, Optional.empty());
    }

    /** A new empty bucket; returns its repository URL with the given prefix. */
    public String newBucketUrl(String prefix) {
        String bucket = "vmconfig-" + buckets.incrementAndGet() + "-" + System.nanoTime() % 100000;
        backend.createContainer(bucket);
        return "s3://" + bucket + "/" + prefix + "?endpoint=" + endpoint() + "&region=us-east-1";
    }

    public S3BlobStore newStore(String prefix) {
        return S3BlobStore.open(S3Location.parse(newBucketUrl(prefix)), credentials());
    }
}
