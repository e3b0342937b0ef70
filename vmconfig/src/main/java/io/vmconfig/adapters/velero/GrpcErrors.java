package io.vmconfig.adapters.velero;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vmconfig.core.VmConfigException;

/** Maps failures to gRPC statuses; Velero puts the message into the backup/restore error as it is. */
final class GrpcErrors {
    private GrpcErrors() {}

    static StatusRuntimeException toStatus(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (e instanceof VmConfigException v) {
            Status status = switch (v.kind()) {
                case INVALID_INPUT -> Status.INVALID_ARGUMENT;
                case CONFIG, BLOCKED, REFUSED -> Status.FAILED_PRECONDITION;
                case TRANSIENT -> Status.UNAVAILABLE;
                case INTEGRITY -> Status.DATA_LOSS;
                case IO, INTERNAL -> Status.INTERNAL;
            };
            return status.withDescription(v.getMessage()).asRuntimeException();
        }
        return Status.INTERNAL
                .withDescription("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage())
                .asRuntimeException();
    }
}
