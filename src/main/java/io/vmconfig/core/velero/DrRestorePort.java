package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The core's DR restore transform with the operator's VolumeMap: a DR VM, or the reasons it cannot be placed. */
@FunctionalInterface
public interface DrRestorePort {
    DrVerdict restore(ObjectNode configOnlyVm, String volumeMapYaml, String origin);
}
