package io.vmconfig.adapters.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionAppliesToRequest;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionAppliesToResponse;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionCancelRequest;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionGrpc;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionProgressRequest;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionProgressResponse;
import io.vmconfig.adapters.velero.proto.v2.ExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.ExecuteResponse;
import io.vmconfig.core.StructuredLog;
import io.vmconfig.core.velero.ActionKind;
import io.vmconfig.core.velero.BackupResult;
import io.vmconfig.core.velero.PluginCatalog;
import io.vmconfig.core.velero.PluginSpec;
import io.vmconfig.core.velero.VmBackupAction;
import java.util.Map;

/** {@code v2.BackupItemAction}: vm-backup. Every request is checked against its {@code plugin} name. */
public final class BackupItemActionService extends BackupItemActionGrpc.BackupItemActionImplBase {
    private static final ActionKind KIND = ActionKind.BACKUP_ITEM_ACTION_V2;
    private final VmBackupAction vmBackup;
    private final StructuredLog log;

    public BackupItemActionService(VmBackupAction vmBackup, StructuredLog log) {
        this.vmBackup = vmBackup;
        this.log = log;
    }

    @Override
    public void appliesTo(
            BackupItemActionAppliesToRequest request, StreamObserver<BackupItemActionAppliesToResponse> observer) {
        Calls.unary(log, "AppliesTo", Map.of("plugin", request.getPlugin()), observer, () -> {
            PluginSpec spec = PluginCatalog.require(KIND, request.getPlugin());
            return BackupItemActionAppliesToResponse.newBuilder()
                    .setResourceSelector(Wire.selector(spec))
                    .build();
        });
    }

    @Override
    public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> observer) {
        String plugin = request.getPlugin();
        Calls.unary(log, "Execute", Map.of("plugin", plugin), observer, () -> {
            PluginCatalog.require(KIND, plugin);
            JsonNode item = ItemJson.read(request.getItem(), "item", plugin);
            JsonNode backup = ItemJson.read(request.getBackup(), "backup", plugin);
            BackupResult result = vmBackup.execute(item, backup);
            Map<String, String> fields = Wire.fields(plugin, "backup", backup, item);
            fields.put(
                    "additionalItems", Integer.toString(result.additionalItems().size()));
            log.debug(result.item() == item ? "item unchanged" : "config-only item", fields);
            return ExecuteResponse.newBuilder()
                    .setItem(ItemJson.write(result.item()))
                    .addAllAdditionalItems(Wire.identifiers(result.additionalItems()))
                    .build();
        });
    }

    @Override
    public void progress(
            BackupItemActionProgressRequest request, StreamObserver<BackupItemActionProgressResponse> observer) {
        Calls.unary(log, "Progress", Map.of("plugin", request.getPlugin()), observer, () -> {
            PluginCatalog.require(KIND, request.getPlugin());
            return BackupItemActionProgressResponse.newBuilder()
                    .setProgress(Wire.noSuchOperation(request.getPlugin(), request.getOperationID()))
                    .build();
        });
    }

    @Override
    public void cancel(BackupItemActionCancelRequest request, StreamObserver<Empty> observer) {
        Calls.unary(log, "Cancel", Map.of("plugin", request.getPlugin()), observer, () -> {
            PluginCatalog.require(KIND, request.getPlugin());
            return Empty.getDefaultInstance();
        });
    }
}
