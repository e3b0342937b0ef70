package io.vmconfig.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.adapters.embedded.EmbeddedS3;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreContract;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The S3 adapter over HTTPS to an endpoint whose certificate only a private CA bundle vouches for: S3Proxy with a
 * self-signed certificate made by the JDK's keytool. Without the bundle the connection is refused.
 */
class S3TlsCustomCaTest extends BlobStoreContract {
    private static S3Proxy proxy;
    private static TransientNio2BlobStore backend;
    private static Path ca;
    private static int buckets;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("vmconfig-tls-");
        Path ks = dir.resolve("s3.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "s3",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                ks.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");
        ca = dir.resolve("ca.pem");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "s3",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-file",
                ca.toString());
        backend = new TransientNio2BlobStore();
        proxy = S3Proxy.builder()
                .blobStore(backend)
                .secureEndpoint(URI.create("https://127.0.0.1:0"))
                .keyStore(ks.toString(), "changeit")
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
    }

    private static void keytool(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
    }

    private static String url(boolean withCa) {
        String bucket = "tls-" + ++buckets;
        backend.createContainer(bucket);
        return "s3://" + bucket + "/repo?endpoint=https://127.0.0.1:" + proxy.getSecurePort()
                + (withCa ? "&caBundle=" + ca : "");
    }

    @Override
    protected BlobStore newStore() {
        return S3BlobStore.open(S3Location.parse(url(true)), EmbeddedS3.credentials());
    }

    @Test
    void withoutTheCaBundleTheEndpointIsNotTrusted() {
        BlobStore untrusted = S3BlobStore.open(S3Location.parse(url(false)), EmbeddedS3.credentials());
        assertThatThrownBy(() -> untrusted.get("vmconfig.json")).isInstanceOfSatisfying(VmConfigException.class, e -> {
            assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG);
            assertThat(e.getMessage()).contains("TLS");
        });
    }
}
