package io.vmconfig.plugin;

import io.grpc.ManagedChannel;
import io.vmconfig.adapters.goplugin.proto.Empty;
import io.vmconfig.adapters.goplugin.proto.GRPCControllerGrpc;

/** go-plugin's Shutdown call, as the host makes it when it is done with a plugin. */
final class GrpcShutdown {
    private GrpcShutdown() {}

    static void shutdown(ManagedChannel channel) {
        GRPCControllerGrpc.newBlockingStub(channel).shutdown(Empty.getDefaultInstance());
    }
}
