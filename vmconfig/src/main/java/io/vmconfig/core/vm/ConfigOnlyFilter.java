package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.preflight.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** The backup-side filter: validates a VM and cuts it down to its definition. Idempotent. */
public final class ConfigOnlyFilter {
    private static final VmTransform PIPELINE = VmTransform.chain(BackupTransforms.ALL);

    private ConfigOnlyFilter() {}

    /**
     * Filters one VM. {@code origin} says where it came from (a file and document, a backup) and is named in every
     * error; errors are {@link VmConfigException.Kind#INVALID_INPUT}.
     */
    public static ConfigOnlyVm filter(JsonNode input, String origin) {
        ObjectNode vm = VirtualMachines.validate(input, origin);
        VmRef ref = VirtualMachines.ref(vm);
        List<Problem> refused = Admission.check(vm);
        if (!refused.isEmpty()) {
            throw new VmConfigException(
                    VmConfigException.Kind.BLOCKED,
                    origin + ": VirtualMachine " + ref
                            + " would be refused by KubeVirt admission: "
                            + refused.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        try {
            String uid = vm.path("metadata").path("uid").asText(null);
            long generation = vm.path("metadata").path("generation").asLong(0);
            ObjectNode out = PIPELINE.apply(vm);
            return new ConfigOnlyVm(ref, uid, generation, out, Dependencies.of(out), Claims.of(out));
        } catch (VmConfigException e) {
            throw e.getMessage().startsWith(origin) ? e : VmConfigException.invalid(origin + ": " + e.getMessage());
        }
    }
}
