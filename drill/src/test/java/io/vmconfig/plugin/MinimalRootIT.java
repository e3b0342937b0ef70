package io.vmconfig.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.vmconfig.adapters.velero.proto.generated.Empty;
import io.vmconfig.adapters.velero.proto.generated.PluginIdentifier;
import io.vmconfig.adapters.velero.proto.generated.PluginListerGrpc;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionGrpc;
import io.vmconfig.adapters.velero.proto.v2.ExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.ExecuteResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built file in a root holding nothing but glibc's core libraries and zlib (what Velero's paketo jammy-tiny
 * image offers): no shell, no Java, no libstdc++. Run with bubblewrap, which .ci/run installs.
 */
class MinimalRootIT {
    private static final List<String> LIBS =
            List.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libz.so.1");

    @Test
    void handshakeListPluginsAndExecuteWithOnlyGlibc(@TempDir Path root) throws Exception {
        Path bwrap = Path.of("/usr/bin/bwrap");
        assertThat(Files.isExecutable(bwrap))
                .as("bubblewrap is needed (apt-get install bubblewrap)")
                .isTrue();
        Path libDir = Files.createDirectories(root.resolve("lib/x86_64-linux-gnu"));
        Files.createDirectories(root.resolve("lib64"));
        Files.copy(Path.of("/lib64/ld-linux-x86-64.so.2"), root.resolve("lib64/ld-linux-x86-64.so.2"));
        for (String lib : LIBS) {
            Files.copy(Path.of("/lib/x86_64-linux-gnu", lib), libDir.resolve(lib));
        }
        for (String d : List.of("proc", "dev", "tmp", "plugins", "scratch")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(PluginProcess.binary(), root.resolve("plugins/vmconfig"));
        try (var all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString()).toList())
                    .doesNotContain("sh", "bash", "java", "libstdc++.so.6", "libgcc_s.so.1");
        }

        List<String> cmd = new ArrayList<>(List.of(
                bwrap.toString(),
                "--bind",
                root.toString(),
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--tmpfs",
                "/tmp",
                "--unshare-pid",
                "--die-with-parent",
                "--clearenv"));
        Map<String, String> veleroEnv = Map.of(
                "VELERO_PLUGIN",
                "hello",
                "PLUGIN_PROTOCOL_VERSIONS",
                "2",
                "PLUGIN_MIN_PORT",
                "10000",
                "PLUGIN_MAX_PORT",
                "25000",
                "VELERO_SCRATCH_DIR",
                "/scratch",
                "LD_LIBRARY_PATH",
                "/plugins");
        veleroEnv.forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.add("/plugins/vmconfig");
        cmd.addAll(PluginProcess.VELERO_ARGS);

        try (PluginProcess p = PluginProcess.start(cmd, Map.of())) {
            List<PluginIdentifier> ids = PluginListerGrpc.newBlockingStub(p.channel)
                    .listPlugins(Empty.getDefaultInstance())
                    .getPluginsList();
            assertThat(ids)
                    .hasSize(3)
                    .allSatisfy(id -> assertThat(id.getCommand()).isEqualTo("/plugins/vmconfig"));
            ObjectMapper json = new ObjectMapper();
            String vm = "{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\","
                    + "\"metadata\":{\"name\":\"web-01\",\"namespace\":\"prod\"},\"spec\":{}}";
            ExecuteResponse r = BackupItemActionGrpc.newBlockingStub(p.channel)
                    .execute(ExecuteRequest.newBuilder()
                            .setPlugin("vmconfig.io/vm-backup")
                            .setItem(ByteString.copyFromUtf8(vm))
                            .setBackup(ByteString.copyFromUtf8("{\"metadata\":{\"name\":\"b\"}}"))
                            .build());
            JsonNode item = json.readTree(r.getItem().toByteArray());
            assertThat(item).isEqualTo(json.readTree(vm));
            GrpcShutdown.shutdown(p.channel);
            assertThat(p.exitsWithin(2000)).isTrue();
            assertThat(p.stdoutAfterHandshake()).isEmpty();
            PluginLaunchIT.assertLogLinesAreVeleroJson(p.stderr());
        }
        try (var unpacked = Files.list(root.resolve("scratch"))) {
            assertThat(unpacked.map(f -> f.getFileName().toString()).toList())
                    .singleElement()
                    .asString()
                    .startsWith("vmconfig-plugin-");
        }
    }
}
