package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.vm.VmRef;

/** A VolumeMap object (deploy/crds) read from a cluster and parsed as strictly as a map file. */
public final class VolumeMaps {
    private VolumeMaps() {}

    public static VolumeMap read(KubeCluster cluster, VmRef ref) {
        return VolumeMap.parse(object(cluster, ref), "VolumeMap " + ref + " on " + cluster.name());
    }

    /** The VolumeMap object without its status, as the map parser reads it; a config error when it is not there. */
    public static ObjectNode object(KubeCluster cluster, VmRef ref) {
        ObjectNode o = cluster.get(KubeKind.VOLUME_MAP, ref.namespace(), ref.name())
                .orElseThrow(() -> VmConfigException.config("VolumeMap " + ref + " is not on " + cluster.name()));
        ObjectNode map = o.deepCopy();
        map.remove("status");
        return map;
    }
}
