package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.BundleId;
import io.vmconfig.core.repo.Digest;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/** A VM as it is on DR: its tree and whether a VirtualMachineInstance of it exists. */
public record DrVm(ObjectNode vm, boolean instanceExists) {
    private static final Set<String> RUNNING_STRATEGIES = Set.of("Always", "RerunOnFailure", "Once");

    public VmRef ref() {
        return new VmRef(
                vm.path("metadata").path("namespace").asText(),
                vm.path("metadata").path("name").asText());
    }

    /**
     * Whether the VM is (or may be about to be) running: a VMI exists, the spec asks it to run, or its status says
     * anything but Stopped. Unknown counts as running: a running VM is never touched.
     */
    public boolean running() {
        String status = vm.path("status").path("printableStatus").asText("");
        return instanceExists
                || vm.path("spec").path("running").asBoolean(false)
                || RUNNING_STRATEGIES.contains(
                        vm.path("spec").path("runStrategy").asText(""))
                || !(status.isEmpty() || status.equals("Stopped"));
    }

    public boolean managed() {
        return "true"
                .equals(vm.path("metadata")
                        .path("labels")
                        .path(Annotations.MANAGED_LABEL)
                        .asText());
    }

    /** Whether {@code activate} failed this VM over on its own (or as part of {@code --all}). */
    public boolean activated() {
        return annotation(Annotations.ACTIVATED_AT).isPresent();
    }

    public Optional<String> annotation(String key) {
        return Json.textAt(vm, "metadata", "annotations", key);
    }

    /** The revision sync applied last, from the VM's own annotations (no other state is kept). */
    public Optional<Entry> applied() {
        Optional<String> bundle = annotation(Annotations.BUNDLE);
        Optional<String> captured = annotation(Annotations.CAPTURED_AT);
        if (bundle.isEmpty() || captured.isEmpty() || !Digest.isHex64(bundle.get())) {
            return Optional.empty();
        }
        try {
            BundleId id = BundleId.of(bundle.get());
            return Optional.of(new Entry(
                    ref(),
                    annotation(Annotations.SOURCE_UID).orElse(""),
                    parse(annotation(Annotations.SOURCE_GENERATION)),
                    parse(annotation(Annotations.REVISION)),
                    Instant.parse(captured.get()),
                    id,
                    id.digest(),
                    0,
                    false));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static long parse(Optional<String> n) {
        try {
            return n.map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            return 0L;
        }
    }
}
