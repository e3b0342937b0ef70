package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.preflight.DrInventory;
import java.util.Optional;

/** The core's DR restore transform with the operator's VolumeMap: a DR VM, or the reasons it cannot be placed. */
@FunctionalInterface
public interface DrRestorePort {
    /** {@code inventory}: the DR cluster's volumes etc. for the pre-flight; empty checks the map alone. */
    DrVerdict restore(ObjectNode configOnlyVm, String volumeMapYaml, Optional<DrInventory> inventory, String origin);
}
