package io.vmconfig.core.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The side record of one claim a VM uses, as the source knows it: what the DR claim must be compatible with
 * (kubevirt-harvester.md §6 Keep 8). Fields the source does not say are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimRecord(
        String volumeName,
        String claimName,
        ClaimSource source,
        String size,
        String volumeMode,
        List<String> accessModes,
        String storageClass,
        String imageId) {}
