package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.util.List;

/**
 * vm-backup: in a config-only backup, the VM stripped of runtime state and marked config-only, plus its config
 * dependencies, and the same VM staged as its bundle; in any other backup the item unchanged and nothing else, so it can sit beside kubevirt-velero-plugin.
 */
public final class VmBackupAction {
    /** Velero backs up a returned item's additionalItems despite the Backup's resource filters when this is set. */
    public static final String MUST_INCLUDE_ADDITIONAL_ITEMS = "backup.velero.io/must-include-additional-items";

    private final VmCapturePort capture;
    private final StagingPort staging;

    public VmBackupAction(VmCapturePort capture) {
        this(capture, StagingPort.NONE);
    }

    /** {@code staging}: where a config-only VM's bundle is written before the item is returned. */
    public VmBackupAction(VmCapturePort capture, StagingPort staging) {
        this.capture = capture;
        this.staging = staging;
    }

    public BackupResult execute(JsonNode item, JsonNode backup) {
        ObjectNode vm = Items.requireObject(item, "item");
        if (!ConfigOnlyOption.requested(backup)) {
            return new BackupResult(vm, List.of());
        }
        if (!"VirtualMachine".equals(vm.path("kind").asText())) {
            throw VmConfigException.invalid("vm-backup applies to VirtualMachines, got " + Items.describe(vm));
        }
        String origin = "velero backup " + Items.metadata(backup, "name") + ", " + Items.describe(vm);
        // one capture: the VM Velero stores is the bundle's VM, plus the annotations that tie the two together
        CapturedVm captured = capture.capture(vm, origin);
        ObjectNode out = captured.snapshot().vm().deepCopy();
        if (!out.hasNonNull("kind")) {
            out.put("kind", vm.path("kind").asText());
        }
        if (!out.hasNonNull("apiVersion") && vm.hasNonNull("apiVersion")) {
            out.put("apiVersion", vm.path("apiVersion").asText());
        }
        Items.annotate(out, ConfigOnlyOption.BACKUP_MODE_ANNOTATION, ConfigOnlyOption.CONFIG_ONLY);
        // the dependencies are backed up even when the Backup includes only VMs
        Items.annotate(out, MUST_INCLUDE_ADDITIONAL_ITEMS, "true");
        List<ResourceRef> additional = captured.dependencies().stream()
                .filter(ResourceNames::isConfigDependency)
                .distinct()
                .toList();
        staging.stage(backup, captured.snapshot()).forEach((k, v) -> Items.annotate(out, k, v));
        return new BackupResult(out, additional);
    }
}
