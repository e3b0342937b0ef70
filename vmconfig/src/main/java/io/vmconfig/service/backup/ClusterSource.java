package io.vmconfig.service.backup;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.SourceReader;
import io.vmconfig.core.batch.SourcedObject;
import java.util.List;
import java.util.Set;

/**
 * {@code backup} without {@code --from}: the production cluster read for a backup, read-only and with list calls
 * only ({@link SourceReader}), as the same input to the export batch as files, with the namespaces whose Secrets
 * could not be read (the backup's rule for them is {@code core.access.UnreadableSecrets}).
 */
public final class ClusterSource {
    private ClusterSource() {}

    /** The objects read, and the namespaces whose Secrets were forbidden. */
    public record Read(List<SourcedObject> objects, Set<String> unreadableSecrets) {}

    /** {@code namespace} null means all namespaces; {@code labelSelector} null means every VM. */
    public static Read read(KubeCluster source, String namespace, String labelSelector) {
        SourceReader reader = new SourceReader(source);
        List<SourcedObject> objects = reader.read(namespace, labelSelector);
        return new Read(objects, reader.unreadableSecrets());
    }
}
