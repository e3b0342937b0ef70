package io.vmconfig.adapters.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionAppliesToRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionAppliesToResponse;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionCancelRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteResponse;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionGrpc;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionItemsReadyRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionItemsReadyResponse;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionProgressRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionProgressResponse;
import io.vmconfig.core.StructuredLog;
import io.vmconfig.core.velero.ActionKind;
import io.vmconfig.core.velero.PluginCatalog;
import io.vmconfig.core.velero.PluginSpec;
import io.vmconfig.core.velero.RestoreResult;
import io.vmconfig.core.velero.VmRestoreAction;
import io.vmconfig.core.velero.VolumeRestoreAction;
import java.util.Map;

/** {@code v2.RestoreItemAction}: vm-restore and volume-restore, dispatched by the request's {@code plugin} name. */
public final class RestoreItemActionService extends RestoreItemActionGrpc.RestoreItemActionImplBase {
    private static final ActionKind KIND = ActionKind.RESTORE_ITEM_ACTION_V2;
    private final VmRestoreAction vmRestore;
    private final VolumeRestoreAction volumeRestore;
    private final StructuredLog log;

    public RestoreItemActionService(VmRestoreAction vmRestore, VolumeRestoreAction volumeRestore, StructuredLog log) {
        this.vmRestore = vmRestore;
        this.volumeRestore = volumeRestore;
        this.log = log;
    }

    @Override
    public void appliesTo(
            RestoreItemActionAppliesToRequest request, StreamObserver<RestoreItemActionAppliesToResponse> observer) {
        Calls.unary(log, "AppliesTo", Map.of("plugin", request.getPlugin()), observer, () -> {
            PluginSpec spec = PluginCatalog.require(KIND, request.getPlugin());
            return RestoreItemActionAppliesToResponse.newBuilder()
                    .setResourceSelector(Wire.selector(spec))
                    .build();
        });
    }

    @Override
    public void execute(
            RestoreItemActionExecuteRequest request, StreamObserver<RestoreItemActionExecuteResponse> observer) {
        String plugin = request.getPlugin();
        Calls.unary(log, "Execute", Map.of("plugin", plugin), observer, () -> {
            PluginSpec spec = PluginCatalog.require(KIND, plugin);
            JsonNode item = ItemJson.read(request.getItem(), "item", plugin);
            JsonNode restore = ItemJson.read(request.getRestore(), "restore", plugin);
            RestoreResult result = switch (spec.name()) {
                case PluginCatalog.VM_RESTORE ->
                    vmRestore.execute(
                            item, ItemJson.read(request.getItemFromBackup(), "itemFromBackup", plugin), restore);
                case PluginCatalog.VOLUME_RESTORE -> volumeRestore.execute(item, restore);
                default -> throw new IllegalStateException("no restore action for " + spec.name());
            };
            Map<String, String> fields = Wire.fields(plugin, "restore", restore, item);
            if (result.skipRestore()) {
                Map<String, String> skipped = new java.util.LinkedHashMap<>(fields);
                skipped.put("reason", result.code());
                log.info("skipped: " + result.why(), skipped);
            } else {
                log.debug(result.item() == item ? "item unchanged" : "item transformed for DR", fields);
            }
            return RestoreItemActionExecuteResponse.newBuilder()
                    .setItem(ItemJson.write(result.item()))
                    .setSkipRestore(result.skipRestore())
                    .build();
        });
    }

    @Override
    public void progress(
            RestoreItemActionProgressRequest request, StreamObserver<RestoreItemActionProgressResponse> observer) {
        Calls.unary(log, "Progress", Map.of("plugin", request.getPlugin()), observer, () -> {
            PluginCatalog.require(KIND, request.getPlugin());
            return RestoreItemActionProgressResponse.newBuilder()
                    .setProgress(Wire.noSuchOperation(request.getPlugin(), request.getOperationID()))
                    .build();
        });
    }

    @Override
    public void cancel(RestoreItemActionCancelRequest request, StreamObserver<Empty> observer) {
        Calls.unary(log, "Cancel", Map.of("plugin", request.getPlugin()), observer, () -> {
            PluginCatalog.require(KIND, request.getPlugin());
            return Empty.getDefaultInstance();
        });
    }

    /** This plugin never asks Velero to wait for additional items, so they are always ready. */
    @Override
    public void areAdditionalItemsReady(
            RestoreItemActionItemsReadyRequest request, StreamObserver<RestoreItemActionItemsReadyResponse> observer) {
        Calls.unary(log, "AreAdditionalItemsReady", Map.of("plugin", request.getPlugin()), observer, () -> {
            PluginCatalog.require(KIND, request.getPlugin());
            return RestoreItemActionItemsReadyResponse.newBuilder()
                    .setReady(true)
                    .build();
        });
    }
}
