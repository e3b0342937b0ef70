package io.vmconfig.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.adapters.embedded.EmbeddedS3;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The S3 adapter keeps the port's contract against a real S3 server over HTTP (S3Proxy on 127.0.0.1). */
class S3ProxyBlobStoreTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore() throws Exception {
        return EmbeddedS3.get().newStore("repo/prod");
    }

    @Test
    void aPrefixKeepsRepositoriesApartInOneBucket() throws Exception {
        String url = EmbeddedS3.get().newBucketUrl("a");
        BlobStore a = S3BlobStore.open(S3Location.parse(url), EmbeddedS3.credentials());
        BlobStore b = S3BlobStore.open(S3Location.parse(url.replace("/a?", "/b?")), EmbeddedS3.credentials());
        a.put("sets/x.json", new byte[] {1});
        assertThat(b.list("sets/")).isEmpty();
        assertThat(a.list("sets/")).containsExactly("sets/x.json");
    }

    @Test
    void wrongCredentialsAreAConfigErrorThatDoesNotCarryTheSecret() throws Exception {
        String url = EmbeddedS3.get().newBucketUrl("p");
        BlobStore wrong = S3BlobStore.open(
                S3Location.parse(url),
                new S3Credentials(EmbeddedS3.ACCESS_KEY, "wrong-secret-value", Optional.empty()));
        assertThatThrownBy(() -> wrong.put("bundles/a", new byte[] {1}))
                .isInstanceOfSatisfying(VmConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG);
                    assertThat(e.getMessage())
                            .doesNotContain("wrong-secret-value")
                            .doesNotContain(EmbeddedS3.SECRET_KEY)
                            .contains("SignatureDoesNotMatch");
                    assertThat(e.getCause()).isNull();
                });
    }

    @Test
    void anInvalidBucketNameIsAConfigError() {
        BlobStore bad =
                S3BlobStore.open(S3Location.parse("s3://b/p?endpoint=http://127.0.0.1:1"), EmbeddedS3.credentials());
        assertThatThrownBy(() -> bad.get("vmconfig.json"))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG));
    }

    @Test
    void anUnreachableEndpointIsTransient() {
        BlobStore down = S3BlobStore.open(
                S3Location.parse("s3://vmconfig-down/p?endpoint=http://127.0.0.1:1"), EmbeddedS3.credentials());
        assertThatThrownBy(() -> down.get("vmconfig.json"))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.TRANSIENT));
    }
}
