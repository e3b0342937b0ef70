package io.vmconfig.core.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where vm-backup writes: the plugin ConfigMap, else the Backup's BackupStorageLocation under <prefix>/vmconfig. */
class RepositoryLocationTest {
    static ObjectNode bsl(String provider, String prefix) {
        ObjectNode b = Json.object();
        b.putObject("metadata").put("name", "default").put("namespace", "velero");
        ObjectNode spec = b.putObject("spec").put("provider", provider);
        ObjectNode os = spec.putObject("objectStorage").put("bucket", "backups");
        if (prefix != null) {
            os.put("prefix", prefix);
        }
        spec.putObject("config")
                .put("region", "eu-1")
                .put("s3Url", "https://minio.local:9000")
                .put("s3ForcePathStyle", "true")
                .put("profile", "velero");
        return b;
    }

    @Test
    void aBackupStorageLocationGivesItsBucketPrefixEndpointAndProfileUnderVmconfig() {
        RepositoryLocation l = RepositoryLocation.fromStorageLocation(bsl("velero.io/aws", "/cluster-a/"));
        assertThat(l.url())
                .isEqualTo("s3://backups/cluster-a/vmconfig?endpoint=https%3A%2F%2Fminio.local%3A9000"
                        + "&region=eu-1&pathStyle=true&profile=velero");
        assertThat(l.keySecret()).contains(RepositoryLocation.DEFAULT_KEY_SECRET);
        assertThat(l.origin()).isEqualTo("BackupStorageLocation velero/default");
        assertThat(RepositoryLocation.fromStorageLocation(bsl("aws", null)).url())
                .startsWith("s3://backups/vmconfig?");
    }

    @Test
    void otherProvidersAndMissingKeysAreConfigurationErrors() {
        assertThatThrownBy(() -> RepositoryLocation.fromStorageLocation(bsl("gcp", "p")))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG))
                .hasMessageContaining("velero/default")
                .hasMessageContaining("gcp");
        assertThatThrownBy(() -> RepositoryLocation.fromConfigMap(Map.of(), "velero/vmconfig-vm-backup"))
                .hasMessageContaining("velero/vmconfig-vm-backup")
                .hasMessageContaining("'repository'");
        RepositoryLocation l = RepositoryLocation.fromConfigMap(
                Map.of("repository", " s3://b/p?endpoint=x ", "repositoryKeySecret", ""), "velero/c");
        assertThat(l.url()).isEqualTo("s3://b/p?endpoint=x");
        assertThat(l.keySecret()).isEqualTo(Optional.empty());
    }

    @Test
    void aKeyThePluginDoesNotReadIsAnErrorNamingIt() {
        // a misspelt repositoryKeySecret would otherwise stage Secret data without the repository key
        assertThatThrownBy(() -> RepositoryLocation.fromConfigMap(
                        Map.of("repository", "s3://b/p?endpoint=x", "repositoryKeySecert", "k"),
                        "velero/vmconfig-vm-backup"))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG))
                .hasMessageContaining("velero/vmconfig-vm-backup")
                .hasMessageContaining("repositoryKeySecert")
                .hasMessageContaining("it reads repository, repositoryKeySecret");
        assertThatThrownBy(() -> RepositoryLocation.fromConfigMap(
                        Map.of("repository", "s3://b/p?endpoint=x", "sourceCluster", "production"), "velero/c"))
                .hasMessageContaining("sourceCluster is no longer read")
                .hasMessageContaining("--source-cluster");
    }
}
