package io.vmconfig.app;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vmconfig.adapters.goplugin.JsonLogger;
import io.vmconfig.adapters.goplugin.proto.GRPCControllerGrpc;
import io.vmconfig.adapters.velero.proto.generated.Empty;
import io.vmconfig.adapters.velero.proto.generated.PluginListerGrpc;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionAppliesToRequest;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionGrpc;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionProgressRequest;
import io.vmconfig.adapters.velero.proto.v2.ExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.RestoreItemActionGrpc;
import io.vmconfig.core.velero.PluginCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The training run of the build: serves the plugin in-process and makes the calls Velero makes (ListPlugins,
 * AppliesTo, Execute, Progress, health, Shutdown), so that the AOT cache (or CDS archive) written during this run
 * holds the classes a real plugin process loads. Not used at run time.
 */
public final class PluginTraining {
    private static final String VM = "{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\",\"metadata\":"
            + "{\"name\":\"train\",\"namespace\":\"default\"},\"spec\":{\"runStrategy\":\"Always\"}}";
    private static final String PVC = "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":"
            + "{\"name\":\"train\",\"namespace\":\"default\"}}";
    private static final String BACKUP = "{\"metadata\":{\"name\":\"b\",\"namespace\":\"velero\"}}";
    private static final String CONFIG_ONLY_BACKUP = "{\"metadata\":{\"name\":\"c\",\"namespace\":\"velero\","
            + "\"labels\":{\"vmconfig.io/config-only\":\"true\"}}}";
    private static final String RESTORE = "{\"metadata\":{\"name\":\"r\",\"namespace\":\"velero\","
            + "\"labels\":{\"vmconfig.io/config-only\":\"true\"}},\"spec\":{\"backupName\":\"b\"}}";

    private PluginTraining() {}

    /** Trains on the first VirtualMachine of the YAML file {@code args[0]} (the build passes an example VM). */
    public static void main(String[] args) throws Exception {
        try {
            train(java.nio.file.Path.of(args[0]));
        } catch (Exception | Error e) {
            // the gRPC server's threads would keep the JVM (and the build) waiting forever
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void train(java.nio.file.Path exampleVm) throws Exception {
        ByteString example = exampleVm(exampleVm);
        System.setProperty("io.grpc.netty.shaded.io.netty.transport.noNative", "true");
        JsonLogger log = PluginMain.processSetup(new String[] {"--features=", "--log-level", "warn"});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream handshake = new PrintStream(out, true, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of(
                "VELERO_PLUGIN",
                "hello",
                "PLUGIN_PROTOCOL_VERSIONS",
                "2",
                "PLUGIN_MIN_PORT",
                "20000",
                "PLUGIN_MAX_PORT",
                "25000",
                "VELERO_NAMESPACE",
                "velero");
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
            try {
                return PluginMain.run(env, "/plugins/vmconfig", log, handshake, kube -> PluginMain.BackupPorts.NONE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        });
        String line;
        while ((line = out.toString(StandardCharsets.UTF_8)).isEmpty()) {
            Thread.sleep(5);
        }
        String address = line.trim().split("\\|")[3];
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            for (int i = 0; i < 200; i++) {
                calls(channel, example);
            }
            GRPCControllerGrpc.newBlockingStub(channel)
                    .shutdown(io.vmconfig.adapters.goplugin.proto.Empty.getDefaultInstance());
        } finally {
            channel.shutdownNow();
        }
        System.exit(served.get());
    }

    private static void calls(ManagedChannel channel, ByteString example) {
        PluginListerGrpc.newBlockingStub(channel).listPlugins(Empty.getDefaultInstance());
        HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("plugin").build());
        var bia = BackupItemActionGrpc.newBlockingStub(channel);
        bia.appliesTo(BackupItemActionAppliesToRequest.newBuilder()
                .setPlugin(PluginCatalog.VM_BACKUP)
                .build());
        bia.execute(ExecuteRequest.newBuilder()
                .setPlugin(PluginCatalog.VM_BACKUP)
                .setItem(bytes(VM))
                .setBackup(bytes(BACKUP))
                .build());
        bia.execute(ExecuteRequest.newBuilder()
                .setPlugin(PluginCatalog.VM_BACKUP)
                .setItem(example)
                .setBackup(bytes(CONFIG_ONLY_BACKUP))
                .build());
        bia.progress(BackupItemActionProgressRequest.newBuilder()
                .setPlugin(PluginCatalog.VM_BACKUP)
                .build());
        var ria = RestoreItemActionGrpc.newBlockingStub(channel);
        ria.execute(RestoreItemActionExecuteRequest.newBuilder()
                .setPlugin(PluginCatalog.VM_RESTORE)
                .setItem(bytes(VM))
                .setItemFromBackup(bytes(VM))
                .setRestore(bytes(RESTORE))
                .build());
        ria.execute(RestoreItemActionExecuteRequest.newBuilder()
                .setPlugin(PluginCatalog.VOLUME_RESTORE)
                .setItem(bytes(PVC))
                .setItemFromBackup(bytes(PVC))
                .setRestore(bytes(RESTORE))
                .build());
        try {
            bia.execute(
                    ExecuteRequest.newBuilder().setPlugin("vmconfig.io/unknown").build());
        } catch (StatusRuntimeException expected) {
            // the error path is trained too
        }
    }

    /** The first VirtualMachine of a YAML file, as JSON. */
    private static ByteString exampleVm(java.nio.file.Path file) throws java.io.IOException {
        var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        try (var in = java.nio.file.Files.newInputStream(file)) {
            try (var docs = yaml.readerFor(com.fasterxml.jackson.databind.JsonNode.class)
                    .readValues(in)) {
                while (docs.hasNext()) {
                    com.fasterxml.jackson.databind.JsonNode doc = (com.fasterxml.jackson.databind.JsonNode) docs.next();
                    if ("VirtualMachine".equals(doc.path("kind").asText())) {
                        return ByteString.copyFrom(
                                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(doc));
                    }
                }
            }
        }
        throw new IllegalStateException("no VirtualMachine in " + file);
    }

    private static ByteString bytes(String json) {
        return ByteString.copyFromUtf8(json);
    }
}
