package io.vmconfig.core.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.vm.VmRef;
import java.util.List;

/**
 * What a batch did with one VM. {@code ref} is the source VM (null when the input was too broken to name one),
 * {@code target} where it goes, {@code documents} the objects to write in order, {@code details} the reasons,
 * warnings and notes for people, {@code codes} the machine-readable reason codes of a BLOCKED VM (pre-flight
 * {@code Reason} names), for metrics and events: never parsed out of {@code details}.
 */
public record VmResult(
        VmRef ref,
        VmRef target,
        Status status,
        String origin,
        List<ObjectNode> documents,
        List<String> details,
        List<String> codes) {
    /** {@code REFUSED}: blocked by a safety rule (a copy would use a disk it does not own), exit code 5. */
    public enum Status {
        EXPORTED,
        RESTORED,
        BLOCKED,
        REFUSED,
        FAILED
    }

    public VmResult {
        documents = List.copyOf(documents);
        details = List.copyOf(details);
        codes = List.copyOf(codes);
    }

    public VmResult(
            VmRef ref, VmRef target, Status status, String origin, List<ObjectNode> documents, List<String> details) {
        this(ref, target, status, origin, documents, details, List.of());
    }

    public boolean ok() {
        return status == Status.EXPORTED || status == Status.RESTORED;
    }

    public static VmResult failed(VmRef ref, String origin, String message) {
        return new VmResult(ref, null, Status.FAILED, origin, List.of(), List.of(message));
    }
}
