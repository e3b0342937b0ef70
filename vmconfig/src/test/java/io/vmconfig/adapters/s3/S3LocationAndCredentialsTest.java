package io.vmconfig.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3LocationAndCredentialsTest {
    @TempDir
    Path tmp;

    @Test
    void parsesBucketPrefixAndParameters() {
        S3Location l = S3Location.parse("s3://vm-backups/dr/prod/?endpoint=https://minio.local:9000&region=eu-1"
                + "&pathStyle=false&caBundle=/etc/ca.pem&credentials=/credentials/cloud&profile=backup");
        assertThat(l.bucket()).isEqualTo("vm-backups");
        assertThat(l.prefix()).isEqualTo("dr/prod/");
        assertThat(l.endpoint()).isEqualTo("https://minio.local:9000");
        assertThat(l.region()).isEqualTo("eu-1");
        assertThat(l.pathStyle()).isFalse();
        assertThat(l.caBundle()).contains("/etc/ca.pem");
        assertThat(l.credentialsFile()).contains("/credentials/cloud");
        assertThat(l.profile()).contains("backup");
        S3Location bare = S3Location.parse("s3://b1");
        assertThat(bare.prefix()).isEmpty();
        assertThat(bare.pathStyle()).isTrue();
    }

    @Test
    void refusesCredentialsInTheUrlAndUnknownParameters() {
        assertThatThrownBy(() -> S3Location.parse("s3://AKIA:secret@bucket/p"))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.getMessage()).doesNotContain("secret@"));
        assertThatThrownBy(() -> S3Location.parse("s3://bucket?endpiont=x")).hasMessageContaining("endpiont");
        assertThatThrownBy(() -> S3Location.parse("http://bucket")).isInstanceOf(VmConfigException.class);
    }

    @Test
    void readsVeleroCredentialsFilesByProfile() throws Exception {
        Path f = tmp.resolve("cloud");
        Files.writeString(
                f,
                "# velero\n[default]\naws_access_key_id = AK1\naws_secret_access_key = SK1\n\n"
                        + "[profile backup]\naws_access_key_id=AK2\naws_secret_access_key=SK2\naws_session_token=T2\n");
        S3Credentials d = S3Credentials.fromFile(f, "default");
        assertThat(d.accessKey()).isEqualTo("AK1");
        assertThat(d.secretKey()).isEqualTo("SK1");
        S3Credentials b = S3Credentials.resolve(
                S3Location.parse("s3://b/p?credentials=" + f + "&profile=backup"),
                Map.of("AWS_ACCESS_KEY_ID", "ENV", "AWS_SECRET_ACCESS_KEY", "ENVS"));
        assertThat(b.accessKey()).isEqualTo("AK2");
        assertThat(b.sessionToken()).contains("T2");
        assertThat(b.toString()).doesNotContain("SK2");
        assertThatThrownBy(() -> S3Credentials.fromFile(f, "nope"))
                .hasMessageContaining("no profile 'nope'")
                .hasMessageNotContaining("SK1");
    }

    @Test
    void fallsBackToTheEnvironmentThenTheSharedFile() throws Exception {
        S3Location loc = S3Location.parse("s3://b/p");
        assertThat(S3Credentials.resolve(loc, Map.of("AWS_ACCESS_KEY_ID", "E1", "AWS_SECRET_ACCESS_KEY", "E2"))
                        .accessKey())
                .isEqualTo("E1");
        Path f = tmp.resolve("shared");
        Files.writeString(f, "[ops]\naws_access_key_id=S1\naws_secret_access_key=S2\n");
        assertThat(S3Credentials.resolve(loc, Map.of("AWS_SHARED_CREDENTIALS_FILE", f.toString(), "AWS_PROFILE", "ops"))
                        .accessKey())
                .isEqualTo("S1");
        assertThatThrownBy(() -> S3Credentials.resolve(loc, Map.of("HOME", tmp.toString())))
                .hasMessageContaining("no S3 credentials");
    }
}
