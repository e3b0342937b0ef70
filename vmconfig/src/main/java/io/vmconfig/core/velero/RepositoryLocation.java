package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where vm-backup writes (docs/velero-plugin.md, "Where the repository is"): the vm-backup plugin ConfigMap when
 * there is one, else the Backup's BackupStorageLocation under {@code <prefix>/vmconfig/}. Holds no secret: S3
 * credentials come from a credentials file, the repository key from a Secret named here.
 */
public record RepositoryLocation(String url, Optional<String> keySecret, String origin) {
    /** ConfigMap keys. */
    public static final String REPOSITORY = "repository";

    public static final String KEY_SECRET = "repositoryKeySecret";
    /** The Secret (key {@code repository.key}) used with a BackupStorageLocation when it exists. */
    public static final String DEFAULT_KEY_SECRET = "vmconfig-repository-key";

    public static final String SUB_PREFIX = "vmconfig";

    /** From the vm-backup plugin ConfigMap's data. */
    public static RepositoryLocation fromConfigMap(Map<String, String> data, String configMap) {
        PluginConfigKeys.check(data, java.util.Set.of(REPOSITORY, KEY_SECRET), configMap);
        String url = data.get(REPOSITORY);
        if (url == null || url.isBlank()) {
            throw VmConfigException.config("ConfigMap " + configMap + " has no '" + REPOSITORY
                    + "' key (s3://BUCKET/PREFIX?endpoint=…&caBundle=…&profile=…)");
        }
        return new RepositoryLocation(
                url.strip(),
                Optional.ofNullable(data.get(KEY_SECRET)).filter(s -> !s.isBlank()),
                "ConfigMap " + configMap);
    }

    /**
     * From a Velero BackupStorageLocation of the AWS provider (any S3-compatible store): bucket, prefix,
     * {@code config.s3Url}, {@code region}, {@code s3ForcePathStyle}, {@code profile}. Velero's plugins read
     * credentials from {@code AWS_SHARED_CREDENTIALS_FILE} (/credentials/cloud), and so does the S3 adapter.
     */
    public static RepositoryLocation fromStorageLocation(JsonNode bsl) {
        String name = Items.metadata(bsl, "namespace") + "/" + Items.metadata(bsl, "name");
        JsonNode spec = bsl.path("spec");
        String provider = spec.path("provider").asText("");
        if (!provider.equals("aws") && !provider.equals("velero.io/aws")) {
            throw VmConfigException.config("BackupStorageLocation " + name + " has provider '" + provider
                    + "'; vmconfig writes to S3-compatible stores only: name the repository in the vm-backup plugin"
                    + " ConfigMap instead");
        }
        String bucket = spec.path("objectStorage").path("bucket").asText("");
        if (bucket.isEmpty()) {
            throw VmConfigException.config("BackupStorageLocation " + name + " has no objectStorage.bucket");
        }
        String prefix = spec.path("objectStorage").path("prefix").asText("").replaceAll("^/+|/+$", "");
        JsonNode config = spec.path("config");
        String region = config.path("region").asText("us-east-1");
        Map<String, String> q = new LinkedHashMap<>();
        q.put("endpoint", config.path("s3Url").asText("https://s3." + region + ".amazonaws.com"));
        q.put("region", region);
        q.put("pathStyle", config.path("s3ForcePathStyle").asText("false"));
        if (config.hasNonNull("profile")) {
            q.put("profile", config.path("profile").asText());
        }
        StringBuilder url = new StringBuilder("s3://")
                .append(bucket)
                .append('/')
                .append(prefix.isEmpty() ? "" : prefix + "/")
                .append(SUB_PREFIX);
        char sep = '?';
        for (Map.Entry<String, String> e : q.entrySet()) {
            url.append(sep)
                    .append(e.getKey())
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return new RepositoryLocation(url.toString(), Optional.of(DEFAULT_KEY_SECRET), "BackupStorageLocation " + name);
    }
}
