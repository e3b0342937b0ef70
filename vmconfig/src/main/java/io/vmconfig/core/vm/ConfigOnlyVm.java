package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A VM reduced to its definition, with what the source said about it.
 *
 * @param ref          namespace and name at the source
 * @param uid          the source object's uid, or null when the input had none
 * @param generation   the source object's metadata.generation, or 0 when the input had none
 * @param vm           the config-only VM tree (no status, no runtime metadata)
 * @param dependencies objects the VM needs besides its disks
 * @param claims       side record of each claim the VM uses
 */
public record ConfigOnlyVm(
        VmRef ref,
        String uid,
        long generation,
        ObjectNode vm,
        List<DependencyRef> dependencies,
        List<ClaimRecord> claims) {
    public ConfigOnlyVm {
        dependencies = List.copyOf(dependencies);
        claims = List.copyOf(claims);
    }
}
