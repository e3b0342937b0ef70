package io.vmconfig.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.vmconfig.adapters.goplugin.JsonLogger;
import io.vmconfig.adapters.goplugin.LogLevel;
import io.vmconfig.adapters.kube.ApiMeter;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubePluginConfig;
import io.vmconfig.adapters.velero.proto.generated.Empty;
import io.vmconfig.adapters.velero.proto.generated.PluginIdentifier;
import io.vmconfig.adapters.velero.proto.generated.PluginListerGrpc;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionAppliesToRequest;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionGrpc;
import io.vmconfig.adapters.velero.proto.v2.ExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.ExecuteResponse;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteResponse;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionGrpc;
import io.vmconfig.core.repo.VmSnapshot;
import io.vmconfig.core.velero.PluginCatalog;
import io.vmconfig.core.velero.StagingPort;
import io.vmconfig.core.velero.VmBundles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin's gRPC services as PluginMain wires them, called in-process (no plugin process, no HTTP/2): what each
 * RPC returns and which gRPC status each failure becomes. The same calls over the wire: PluginItemActionsIT.
 */
class PluginServicesInProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<VmSnapshot> staged = new ArrayList<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private KubePluginConfig unreachable;
    private PluginDrCluster dr;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        // a Velero namespace on an API server nothing listens on: every read fails as unreachable, fast
        unreachable = new KubePluginConfig(
                () -> new KubeCluster(
                        new KubernetesClientBuilder()
                                .withConfig(new ConfigBuilder()
                                        .withMasterUrl("https://127.0.0.1:1")
                                        .withRequestRetryBackoffLimit(0)
                                        .withConnectionTimeout(500)
                                        .withRequestTimeout(500)
                                        .build())
                                .build(),
                        ApiMeter.unlimited(),
                        "the Velero cluster"),
                "velero");
        dr = new PluginDrCluster(Clock.systemUTC());
        VmBundles.Fetch fetch = (apiVersion, kind, ns, name) -> kind.equals("PersistentVolumeClaim")
                ? Optional.of(obj("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\""
                        + name + "\",\"namespace\":\"" + ns + "\"},\"spec\":{\"storageClassName\":\"longhorn\","
                        + "\"resources\":{\"requests\":{\"storage\":\"5Gi\"}}}}"))
                : Optional.empty();
        StagingPort staging = (backup, snapshot) -> {
            staged.add(snapshot);
            return Map.of("vmconfig.io/bundle", "in-process");
        };
        JsonLogger log =
                new JsonLogger(new PrintStream(logged, true, StandardCharsets.UTF_8), LogLevel.INFO, Clock.systemUTC());
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder b = InProcessServerBuilder.forName(name).directExecutor();
        PluginMain.services("/plugins/vmconfig", unreachable, new PluginMain.BackupPorts(fetch, staging), dr, log)
                .forEach(b::addService);
        server = b.build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        dr.close();
        unreachable.close();
    }

    static ObjectNode obj(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ByteString bytes(JsonNode n) {
        return ByteString.copyFromUtf8(n.toString());
    }

    static ObjectNode vm() {
        return obj("""
                {"apiVersion":"kubevirt.io/v1","kind":"VirtualMachine",
                 "metadata":{"name":"web","namespace":"prod","uid":"u-7","generation":2},
                 "spec":{"runStrategy":"Always","template":{"spec":{
                   "domain":{"devices":{"disks":[{"name":"root","disk":{}}]}},
                   "volumes":[{"name":"root","persistentVolumeClaim":{"claimName":"web-root"}}]}}},
                 "status":{"printableStatus":"Running"}}""");
    }

    static final ObjectNode CONFIG_ONLY_BACKUP = obj(
            "{\"metadata\":{\"name\":\"nightly\",\"namespace\":\"velero\",\"labels\":{\"vmconfig.io/config-only\":\"true\"}}}");

    @Test
    void listPluginsNamesEveryActionWithTheCommandVeleroStartedUsWith() {
        List<PluginIdentifier> plugins = PluginListerGrpc.newBlockingStub(channel)
                .listPlugins(Empty.getDefaultInstance())
                .getPluginsList();
        assertThat(plugins)
                .extracting(PluginIdentifier::getName)
                .containsExactlyInAnyOrder(
                        PluginCatalog.VM_BACKUP, PluginCatalog.VM_RESTORE, PluginCatalog.VOLUME_RESTORE);
        assertThat(plugins).extracting(PluginIdentifier::getCommand).containsOnly("/plugins/vmconfig");
    }

    @Test
    void vmBackupReturnsTheStagedVmAsTheItem() throws Exception {
        var bia = BackupItemActionGrpc.newBlockingStub(channel);
        assertThat(bia.appliesTo(BackupItemActionAppliesToRequest.newBuilder()
                                .setPlugin(PluginCatalog.VM_BACKUP)
                                .build())
                        .getResourceSelector()
                        .getIncludedResourcesList())
                .contains("virtualmachines.kubevirt.io");
        ExecuteResponse r = bia.execute(ExecuteRequest.newBuilder()
                .setPlugin(PluginCatalog.VM_BACKUP)
                .setItem(bytes(vm()))
                .setBackup(bytes(CONFIG_ONLY_BACKUP))
                .build());
        ObjectNode item = (ObjectNode) JSON.readTree(r.getItem().toStringUtf8());
        assertThat(staged).hasSize(1);
        assertThat(item.has("status")).isFalse();
        assertThat(item.path("metadata")
                        .path("annotations")
                        .path("vmconfig.io/bundle")
                        .asText())
                .isEqualTo("in-process");
        assertThat(item.path("spec")).isEqualTo(staged.get(0).vm().path("spec"));
        assertThat(item.path("metadata")
                        .path("annotations")
                        .path("vmconfig.io/claims")
                        .asText())
                .isEqualTo(staged.get(0)
                        .vm()
                        .path("metadata")
                        .path("annotations")
                        .path("vmconfig.io/claims")
                        .asText())
                .contains("5Gi");
    }

    @Test
    void failuresBecomeTheStatusVeleroActsOn() {
        var bia = BackupItemActionGrpc.newBlockingStub(channel);
        StatusRuntimeException bad = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> bia.execute(ExecuteRequest.newBuilder()
                        .setPlugin(PluginCatalog.VM_BACKUP)
                        .setItem(ByteString.copyFromUtf8("{\"kind\":"))
                        .setBackup(bytes(CONFIG_ONLY_BACKUP))
                        .build()));
        assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException unknown = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> bia.execute(ExecuteRequest.newBuilder()
                        .setPlugin("vmconfig.io/nope")
                        .setItem(bytes(vm()))
                        .setBackup(bytes(CONFIG_ONLY_BACKUP))
                        .build()));
        assertThat(unknown.getStatus().getDescription()).contains("vmconfig.io/nope");
        assertThat(staged).isEmpty();

        // the vm-restore ConfigMap cannot be read: Velero may retry (Unavailable), and the VM is named
        ObjectNode restore = obj("{\"metadata\":{\"name\":\"dr-1\",\"namespace\":\"velero\",\"uid\":\"r-1\","
                + "\"labels\":{\"vmconfig.io/config-only\":\"true\"}},\"spec\":{\"backupName\":\"nightly\"}}");
        ObjectNode stored = vm();
        ((ObjectNode) stored.get("metadata")).putObject("annotations").put("vmconfig.io/backup-mode", "config-only");
        StatusRuntimeException down = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> RestoreItemActionGrpc.newBlockingStub(channel)
                        .execute(RestoreItemActionExecuteRequest.newBuilder()
                                .setPlugin(PluginCatalog.VM_RESTORE)
                                .setItem(bytes(stored))
                                .setItemFromBackup(bytes(stored))
                                .setRestore(bytes(restore))
                                .build()));
        assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(down.getStatus().getDescription()).contains("prod/web").contains("unreachable");
    }

    @Test
    void volumesOfAConfigOnlyRestoreAreSkipped() {
        ObjectNode pvc = obj("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\","
                + "\"metadata\":{\"name\":\"web-root\",\"namespace\":\"prod\"}}");
        ObjectNode restore = obj("{\"metadata\":{\"name\":\"dr-2\",\"namespace\":\"velero\","
                + "\"labels\":{\"vmconfig.io/config-only\":\"true\"}},\"spec\":{\"backupName\":\"nightly\"}}");
        RestoreItemActionExecuteResponse r = RestoreItemActionGrpc.newBlockingStub(channel)
                .execute(RestoreItemActionExecuteRequest.newBuilder()
                        .setPlugin(PluginCatalog.VOLUME_RESTORE)
                        .setItem(bytes(pvc))
                        .setItemFromBackup(bytes(pvc))
                        .setRestore(bytes(restore))
                        .build());
        assertThat(r.getSkipRestore()).isTrue();
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .as("the skip's log line names its reason code as a field")
                .containsPattern("\"@message\":\"skipped: [^\"]*\".*\"reason\":\"REPLICATED_VOLUME\"");
    }
}
