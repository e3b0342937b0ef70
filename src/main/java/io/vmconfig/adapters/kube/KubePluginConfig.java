package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.velero.PluginConfigPort;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the vm-restore plugin ConfigMap (Velero's convention: labels {@code velero.io/plugin-config} and
 * {@code vmconfig.io/vm-restore: RestoreItemActionV2} in Velero's namespace) and Velero Backups. The client is made
 * on first use, so plugin processes that never restore a VM never pay for it.
 */
public final class KubePluginConfig implements PluginConfigPort, AutoCloseable {
    public static final String CONFIG_LABEL = "velero.io/plugin-config";
    public static final String PLUGIN_LABEL = "vmconfig.io/vm-restore";
    public static final String PLUGIN_KIND = "RestoreItemActionV2";
    public static final String VOLUME_MAP_KEY = "volume-map.yaml";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Supplier<KubernetesClient> factory;
    private final String namespace;
    private KubernetesClient client;
    /** One plugin process serves one restore: the ConfigMap is read once. */
    private Optional<String> volumeMap;

    public KubePluginConfig(Supplier<KubernetesClient> factory, String namespace) {
        this.factory = factory;
        this.namespace = namespace;
    }

    /** In-cluster credentials (or KUBECONFIG), Velero's namespace from {@code VELERO_NAMESPACE}. */
    public static KubePluginConfig fromEnvironment(String veleroNamespace) {
        return new KubePluginConfig(() -> new KubernetesClientBuilder().build(),
                veleroNamespace == null || veleroNamespace.isBlank() ? "velero" : veleroNamespace);
    }

    @Override
    public synchronized Optional<String> volumeMapYaml() {
        if (volumeMap == null) {
            volumeMap = readVolumeMap();
        }
        return volumeMap;
    }

    private Optional<String> readVolumeMap() {
        List<ConfigMap> maps;
        try {
            maps = client().configMaps().inNamespace(namespace)
                    .withLabel(CONFIG_LABEL)
                    .withLabel(PLUGIN_LABEL, PLUGIN_KIND)
                    .list().getItems();
        } catch (KubernetesClientException e) {
            throw failure("cannot list the vm-restore plugin ConfigMap in namespace " + namespace, e);
        }
        if (maps.isEmpty()) {
            return Optional.empty();
        }
        if (maps.size() > 1) {
            throw VmConfigException.config("more than one ConfigMap in namespace " + namespace + " is labelled "
                    + CONFIG_LABEL + " and " + PLUGIN_LABEL + "=" + PLUGIN_KIND + ": "
                    + maps.stream().map(m -> m.getMetadata().getName()).sorted().toList());
        }
        ConfigMap map = maps.get(0);
        String yaml = map.getData() == null ? null : map.getData().get(VOLUME_MAP_KEY);
        if (yaml == null || yaml.isBlank()) {
            throw VmConfigException.config("ConfigMap " + namespace + "/" + map.getMetadata().getName()
                    + " has no " + VOLUME_MAP_KEY + " key");
        }
        return Optional.of(yaml);
    }

    @Override
    public Optional<JsonNode> backup(String backupNamespace, String name) {
        String ns = backupNamespace == null || backupNamespace.isEmpty() ? namespace : backupNamespace;
        GenericKubernetesResource backup;
        try {
            backup = client().genericKubernetesResources("velero.io/v1", "Backup")
                    .inNamespace(ns).withName(name).get();
        } catch (KubernetesClientException e) {
            throw failure("cannot read Velero Backup " + ns + "/" + name, e);
        }
        if (backup == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readTree(client().getKubernetesSerialization().asJson(backup)));
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot read Velero Backup " + ns + "/"
                    + name, e);
        }
    }

    private synchronized KubernetesClient client() {
        if (client == null) {
            client = factory.get();
        }
        return client;
    }

    private static VmConfigException failure(String what, KubernetesClientException e) {
        int code = e.getCode();
        VmConfigException.Kind kind = code == 0 || code == 429 || code >= 500
                ? VmConfigException.Kind.TRANSIENT : VmConfigException.Kind.IO;
        String detail = e.getStatus() == null || e.getStatus().getMessage() == null
                ? e.getClass().getSimpleName() : e.getStatus().getMessage();
        return new VmConfigException(kind, what + (code > 0 ? " (HTTP " + code + ")" : "") + ": " + detail, e);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
