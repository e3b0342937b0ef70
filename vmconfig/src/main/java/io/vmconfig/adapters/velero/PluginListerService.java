package io.vmconfig.adapters.velero;

import io.grpc.stub.StreamObserver;
import io.vmconfig.adapters.velero.proto.generated.Empty;
import io.vmconfig.adapters.velero.proto.generated.ListPluginsResponse;
import io.vmconfig.adapters.velero.proto.generated.PluginIdentifier;
import io.vmconfig.adapters.velero.proto.generated.PluginListerGrpc;
import io.vmconfig.core.velero.PluginSpec;
import java.util.List;

/** {@code generated.PluginLister/ListPlugins}: every plugin with command = the argv[0] Velero started us with. */
public final class PluginListerService extends PluginListerGrpc.PluginListerImplBase {
    private final ListPluginsResponse response;

    public PluginListerService(String command, List<PluginSpec> plugins) {
        ListPluginsResponse.Builder b = ListPluginsResponse.newBuilder();
        for (PluginSpec p : plugins) {
            b.addPlugins(PluginIdentifier.newBuilder()
                    .setCommand(command)
                    .setKind(p.kind().wireName())
                    .setName(p.name()));
        }
        this.response = b.build();
    }

    @Override
    public void listPlugins(Empty request, StreamObserver<ListPluginsResponse> observer) {
        observer.onNext(response);
        observer.onCompleted();
    }
}
