package io.vmconfig.core.preflight;

/** One reason a VM is blocked, with a message that names the object. */
public record Problem(Reason reason, String message) {
    @Override
    public String toString() {
        return reason + ": " + message;
    }
}
