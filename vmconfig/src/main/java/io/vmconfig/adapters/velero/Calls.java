package io.vmconfig.adapters.velero;

import io.grpc.stub.StreamObserver;
import io.vmconfig.core.StructuredLog;
import java.util.Map;
import java.util.function.Supplier;

/** Runs one unary call: the answer, or a status error that is also logged with the call's fields. */
final class Calls {
    private Calls() {}

    static <T> void unary(
            StructuredLog log, String what, Map<String, String> fields, StreamObserver<T> observer, Supplier<T> body) {
        T answer;
        try {
            answer = body.get();
        } catch (RuntimeException | LinkageError e) {
            var status = GrpcErrors.toStatus(e);
            var logFields = new java.util.LinkedHashMap<>(fields);
            logFields.put("error", String.valueOf(status.getStatus().getDescription()));
            log.error(what + " failed", logFields);
            observer.onError(status);
            return;
        }
        observer.onNext(answer);
        observer.onCompleted();
    }
}
