package io.vmconfig.core.preflight;

/**
 * One reason a VM is blocked, with a message that names the object. {@code path} is the field of the VM the reason
 * is about ({@code spec.template.spec.volumes[2].persistentVolumeClaim.claimName}), or null when it is about the VM
 * as a whole or about the DR cluster.
 */
public record Problem(Reason reason, String path, String message) {
    public Problem(Reason reason, String message) {
        this(reason, null, message);
    }

    @Override
    public String toString() {
        return reason + (path == null ? "" : " at " + path) + ": " + message;
    }
}
