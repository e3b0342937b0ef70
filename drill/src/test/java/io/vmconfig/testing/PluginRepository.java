package io.vmconfig.testing;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** A folder repository for vm-backup, named by its plugin ConfigMap and keyed by its Secret in Velero's namespace. */
public final class PluginRepository {
    private PluginRepository() {}

    /** Keys and repository under {@code dir}, the ConfigMap and the key Secret created through {@code client}. */
    public static void create(KubernetesClient client, Path dir) throws IOException {
        String keys = TestRepository.keys(dir);
        String repo = dir.resolve("repo").toUri().toString();
        TestRepository.init(repo, keys);
        client.configMaps()
                .inNamespace("velero")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("vmconfig-vm-backup")
                        .addToLabels("velero.io/plugin-config", "")
                        .addToLabels("vmconfig.io/vm-backup", "BackupItemActionV2")
                        .endMetadata()
                        .addToData("repository", repo)
                        .addToData("repositoryKeySecret", "vmconfig-repository-key")
                        .build())
                .create();
        client.secrets()
                .inNamespace("velero")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("vmconfig-repository-key")
                        .endMetadata()
                        .addToData(
                                "repository.key",
                                Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(keys, "repository.key"))))
                        .build())
                .create();
    }
}
