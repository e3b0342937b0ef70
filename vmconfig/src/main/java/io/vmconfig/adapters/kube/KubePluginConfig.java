package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.velero.PluginConfigKeys;
import io.vmconfig.core.velero.PluginConfigPort;
import io.vmconfig.core.velero.ResourceNames;
import io.vmconfig.core.velero.VmBundles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the vm-restore and vm-backup plugin ConfigMaps (Velero's convention: labels {@code velero.io/plugin-config} and
 * {@code vmconfig.io/vm-restore: RestoreItemActionV2} in Velero's namespace), Velero Backups and
 * BackupStorageLocations, and the objects vm-backup bundles, through {@link KubeCluster} (one read path, one error
 * mapping for the CLI, the controller and the plugin). The client is made on first use, so plugin processes that
 * never read the cluster never pay for it.
 */
public final class KubePluginConfig implements PluginConfigPort, AutoCloseable {
    public static final String CONFIG_LABEL = "velero.io/plugin-config";
    public static final String PLUGIN_LABEL = "vmconfig.io/vm-restore";
    public static final String PLUGIN_KIND = "RestoreItemActionV2";
    public static final String VOLUME_MAP_KEY = "volume-map.yaml";
    /** Instead of {@link #VOLUME_MAP_KEY}: {@code NAMESPACE/NAME} of a VolumeMap object (deploy/crds). */
    public static final String VOLUME_MAP_REF_KEY = "volumeMapRef";

    public static final String BACKUP_PLUGIN_LABEL = "vmconfig.io/vm-backup";
    public static final String BACKUP_PLUGIN_KIND = "BackupItemActionV2";

    private final Supplier<KubeCluster> factory;
    private final String namespace;
    private KubeCluster cluster;
    /** One plugin process serves one restore: the ConfigMap is read once. */
    private Optional<String> volumeMap;

    public KubePluginConfig(Supplier<KubeCluster> factory, String namespace) {
        this.factory = factory;
        this.namespace = namespace;
    }

    /** In-cluster credentials (or KUBECONFIG), Velero's namespace from {@code VELERO_NAMESPACE}. */
    public static KubePluginConfig fromEnvironment(String veleroNamespace) {
        return new KubePluginConfig(
                () -> KubeCluster.fromEnvironment("the Velero cluster"),
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
        Optional<ObjectNode> found = pluginConfigMap(PLUGIN_LABEL, PLUGIN_KIND);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String name =
                namespace + "/" + found.get().path("metadata").path("name").asText();
        Map<String, String> data = data(found.get());
        PluginConfigKeys.check(data, java.util.Set.of(VOLUME_MAP_KEY, VOLUME_MAP_REF_KEY), name);
        String yaml = data.get(VOLUME_MAP_KEY);
        String ref = data.get(VOLUME_MAP_REF_KEY);
        if (ref != null) {
            if (yaml != null) {
                throw VmConfigException.config("ConfigMap " + name + " has both " + VOLUME_MAP_KEY + " and "
                        + VOLUME_MAP_REF_KEY + ": give the map or its reference, not both");
            }
            return Optional.of(volumeMapByReference(ref.trim(), name));
        }
        if (yaml == null || yaml.isBlank()) {
            throw VmConfigException.config("ConfigMap " + name + " has no " + VOLUME_MAP_KEY + " key");
        }
        return Optional.of(yaml);
    }

    /**
     * {@code volumeMapRef: NAMESPACE/NAME}: the VolumeMap object read from this cluster ({@link VolumeMaps}), checked
     * by the map parser here so that a bad map names the object, and handed on as its JSON (which is YAML).
     */
    private String volumeMapByReference(String ref, String configMap) {
        String[] p = ref.split("/", 2);
        if (p.length != 2 || p[0].isEmpty() || p[1].isEmpty()) {
            throw VmConfigException.config(
                    "ConfigMap " + configMap + ": " + VOLUME_MAP_REF_KEY + " '" + ref + "' is not NAMESPACE/NAME");
        }
        io.vmconfig.core.vm.VmRef at = new io.vmconfig.core.vm.VmRef(p[0], p[1]);
        ObjectNode map = VolumeMaps.object(cluster(), at);
        io.vmconfig.core.restore.VolumeMap.parse(
                map, "VolumeMap " + at + " on " + cluster().name());
        return io.vmconfig.core.json.Json.compact(map);
    }

    /**
     * The data of the vm-backup plugin ConfigMap (labels {@code velero.io/plugin-config} and
     * {@code vmconfig.io/vm-backup: BackupItemActionV2}) with its namespace/name, or empty when there is none.
     */
    public Optional<Map.Entry<String, Map<String, String>>> backupConfig() {
        return pluginConfigMap(BACKUP_PLUGIN_LABEL, BACKUP_PLUGIN_KIND)
                .map(m -> Map.entry(
                        namespace + "/" + m.path("metadata").path("name").asText(), data(m)));
    }

    private Optional<ObjectNode> pluginConfigMap(String pluginLabel, String kind) {
        List<ObjectNode> maps =
                cluster().list(KubeKind.CONFIG_MAP, namespace, CONFIG_LABEL + "," + pluginLabel + "=" + kind);
        if (maps.size() > 1) {
            throw VmConfigException.config("more than one ConfigMap in namespace " + namespace + " is labelled "
                    + CONFIG_LABEL + " and " + pluginLabel + "=" + kind + ": "
                    + maps.stream()
                            .map(m -> m.path("metadata").path("name").asText())
                            .sorted()
                            .toList());
        }
        return maps.stream().findFirst();
    }

    private static Map<String, String> data(ObjectNode configMap) {
        Map<String, String> data = new LinkedHashMap<>();
        configMap
                .path("data")
                .fields()
                .forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        return data;
    }

    @Override
    public Optional<JsonNode> backup(String backupNamespace, String name) {
        String ns = backupNamespace == null || backupNamespace.isEmpty() ? namespace : backupNamespace;
        return object("velero.io/v1", "Backup", ns, name).map(o -> o);
    }

    /** A BackupStorageLocation in Velero's namespace. */
    public Optional<ObjectNode> storageLocation(String name) {
        return object("velero.io/v1", "BackupStorageLocation", namespace, name);
    }

    /** One key of a Secret in Velero's namespace, decoded; empty when the Secret or key does not exist. */
    public Optional<String> secretValue(String secret, String key) {
        return object("v1", "Secret", namespace, secret)
                .map(s -> s.path("data").path(key).asText(null))
                .map(b64 -> new String(java.util.Base64.getMimeDecoder().decode(b64), StandardCharsets.UTF_8));
    }

    /** Any object by apiVersion and kind (no discovery: the plural is derived as Velero names resources). */
    public Optional<ObjectNode> object(String apiVersion, String kind, String ns, String name) {
        return objects(List.of(new VmBundles.Wanted(apiVersion, kind, ns, name)))
                .get(0);
    }

    /**
     * {@link #object} of each of {@code wanted}, answers in the same order, read as one batch
     * ({@link KubeCluster#getAll}: every request sent before the first answer is awaited, so the time of one round
     * trip instead of one per object). A failed read fails the batch with its own error, after every read of the
     * batch has finished.
     */
    public List<Optional<ObjectNode>> objects(List<VmBundles.Wanted> wanted) {
        List<KubeCluster.Get> gets = new ArrayList<>(wanted.size());
        for (VmBundles.Wanted w : wanted) {
            String apiVersion = w.apiVersion();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            KubeKind k = new KubeKind(
                    group,
                    apiVersion.substring(apiVersion.indexOf('/') + 1),
                    w.kind(),
                    ResourceNames.plural(w.kind()),
                    w.namespace() != null);
            gets.add(new KubeCluster.Get(k, w.namespace(), w.name()));
        }
        List<Optional<ObjectNode>> found = cluster().getAll(gets);
        List<Optional<ObjectNode>> out = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            VmBundles.Wanted w = wanted.get(i);
            out.add(found.get(i).map(o -> {
                o.put("apiVersion", o.path("apiVersion").asText(w.apiVersion()));
                o.put("kind", o.path("kind").asText(w.kind()));
                return o;
            }));
        }
        return out;
    }

    synchronized KubeCluster cluster() {
        if (cluster == null) {
            cluster = factory.get();
        }
        return cluster;
    }

    @Override
    public synchronized void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
