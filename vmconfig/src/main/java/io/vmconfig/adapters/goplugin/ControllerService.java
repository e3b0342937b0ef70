package io.vmconfig.adapters.goplugin;

import io.grpc.stub.StreamObserver;
import io.vmconfig.adapters.goplugin.proto.Empty;
import io.vmconfig.adapters.goplugin.proto.GRPCControllerGrpc;

/** {@code plugin.GRPCController/Shutdown}: answers, then stops the server so the process exits within Velero's 2 s. */
final class ControllerService extends GRPCControllerGrpc.GRPCControllerImplBase {
    private final Runnable stop;

    ControllerService(Runnable stop) {
        this.stop = stop;
    }

    @Override
    public void shutdown(Empty request, StreamObserver<Empty> response) {
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
        stop.run();
    }
}
