package io.vmconfig.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.MessageLite;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.vmconfig.adapters.goplugin.GoPluginServer;
import io.vmconfig.adapters.velero.proto.generated.ListPluginsResponse;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionAppliesToRequest;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionAppliesToResponse;
import io.vmconfig.adapters.velero.proto.v2.ExecuteRequest;
import io.vmconfig.adapters.velero.proto.v2.ExecuteResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin called by grpc-go, the gRPC of Velero's go-plugin host, over one connection dialled as that host
 * dials it (drill/src/test/go/grpcgo-client, built here with Debian's Go and grpc-go packages): the plugin's
 * HTTP/2 transport is grpc-okhttp's, and every other IT calls it from grpc-java.
 */
class PluginGrpcGoClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void grpcGoCallsGetThroughAndAnOverSizeMessageFailsAlone(@TempDir Path dir) throws Exception {
        Path client = GoClient.build();
        Path tooBig = dir.resolve("too-big.bin");
        Files.write(
                tooBig,
                execute(item("too-big", GoPluginServer.MAX_INBOUND_MESSAGE)).toByteArray());
        try (PluginProcess plugin = PluginProcess.start(PluginProcess.veleroEnv());
                GoClient go = GoClient.start(client, plugin.port)) {
            Answer health = go.call(
                    "/grpc.health.v1.Health/Check",
                    HealthCheckRequest.newBuilder().setService("plugin").build());
            assertThat(HealthCheckResponse.parseFrom(health.ok()).getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            assertThat(ListPluginsResponse.parseFrom(go.call(
                                            "/generated.PluginLister/ListPlugins",
                                            io.vmconfig.adapters.velero.proto.generated.Empty.getDefaultInstance())
                                    .ok())
                            .getPluginsCount())
                    .isGreaterThan(0);
            // many small calls, then items large enough that both directions wait on flow-control windows (grpc-go
            // sizes its receive window from BDP pings, grpc-okhttp keeps 64 KiB)
            for (int i = 0; i < 300; i++) {
                assertEchoed(go, "vm-" + i, 8 * 1024);
            }
            assertEchoed(go, "one-mib", 1 << 20);
            assertEchoed(go, "eight-mib", 8 << 20);
            for (int round = 0; round < 5; round++) {
                Answer refused = go.callFile("/v2.BackupItemAction/Execute", tooBig, 120_000);
                // the connection ended (RST_STREAM CANCEL, GOAWAY INTERNAL_ERROR, close): which one grpc-go
                // reports depends on how the request's frames fell into the plugin's reads
                assertThat(refused.code()).as("%s", refused).isIn("Internal", "Unavailable", "Canceled");
                for (int i = 0; i < 3; i++) {
                    assertThat(BackupItemActionAppliesToResponse.parseFrom(go.call(
                                                    "/v2.BackupItemAction/AppliesTo",
                                                    BackupItemActionAppliesToRequest.newBuilder()
                                                            .setPlugin(PluginItemActionsIT.VM_BACKUP)
                                                            .build())
                                            .ok())
                                    .getResourceSelector()
                                    .getIncludedResourcesList())
                            .containsExactly("virtualmachines.kubevirt.io");
                }
                // and a call whose message needs a good part of the connection's 64 KiB window: without the plugin's
                // own check, the window the refused messages took was never given back and this waited forever
                assertEchoed(go, "after-" + round, 40 * 1024);
            }
            // the host is done with the plugin: Shutdown, and the process ends
            go.call("/plugin.GRPCController/Shutdown", io.vmconfig.adapters.goplugin.proto.Empty.getDefaultInstance());
            assertThat(plugin.exitsWithin(5_000)).isTrue();
            assertThat(plugin.process.exitValue()).isZero();
            assertThat(plugin.stderr())
                    .filteredOn(l -> l.contains("refused a request message over the plugin's limit"))
                    .hasSize(5);
        }
    }

    /** vm-backup on an item of a backup that is not config-only: the item comes back unchanged. */
    private static void assertEchoed(GoClient go, String name, int size) throws Exception {
        ObjectNode vm = item(name, size);
        ExecuteResponse r = ExecuteResponse.parseFrom(
                go.call("/v2.BackupItemAction/Execute", execute(vm)).ok());
        JsonNode back = JSON.readTree(r.getItem().toByteArray());
        assertThat(back.path("metadata").path("name").asText()).isEqualTo(name);
        assertThat(back.path("metadata").path("annotations").path("pad").asText())
                .hasSize(vm.path("metadata")
                        .path("annotations")
                        .path("pad")
                        .asText()
                        .length());
    }

    /** A VM as {@link PluginItemActionsIT#vm} makes it, with an annotation of {@code size} characters. */
    private static ObjectNode item(String name, int size) {
        ObjectNode vm = PluginItemActionsIT.vm(name);
        ((ObjectNode) vm.get("metadata")).putObject("annotations").put("pad", "x".repeat(size));
        return vm;
    }

    private static ExecuteRequest execute(ObjectNode vm) throws Exception {
        return PluginItemActionsIT.backupRequest(vm, PluginItemActionsIT.veleroObject("full-nightly", Map.of(), null));
    }

    /** One answer of the Go client: the status code's name (grpc-go's spelling), its message, the response bytes. */
    record Answer(String code, String message, byte[] response) {
        byte[] ok() {
            assertThat(code).as("%s: %s", code, message).isEqualTo("OK");
            return response;
        }
    }

    /** The Go client process: calls written to its stdin, answers read from its stdout. */
    static final class GoClient implements AutoCloseable {
        private final Process process;
        private final OutputStream in;
        private final BufferedReader out;

        private GoClient(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /**
         * Builds the client with Debian's Go toolchain and grpc-go sources (GOPATH mode, no network); what to
         * install when they are missing.
         */
        static Path build() throws Exception {
            Path source = Path.of("src/test/go/grpcgo-client").toAbsolutePath();
            Path binary = Path.of("target/grpcgo-client").toAbsolutePath();
            Path gopath = Path.of(System.getProperty("vmconfig.gopath", "/usr/share/gocode"));
            String missing = "apt-get install golang-go golang-google-grpc-dev (the grpc-go client of the plugin ITs)";
            assertThat(gopath.resolve("src/google.golang.org/grpc/clientconn.go"))
                    .as("grpc-go sources under %s: %s", gopath, missing)
                    .exists();
            Path log = Path.of("target/grpcgo-client-build.log").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", binary.toString(), ".");
            pb.directory(source.toFile());
            pb.redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("GO111MODULE", "off");
            env.put("GOPATH", gopath.toString());
            env.put("GOFLAGS", "");
            env.put("GOCACHE", Path.of("target/go-cache").toAbsolutePath().toString());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new AssertionError("no go command: " + missing, e);
            }
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("go build took over 5 minutes: " + Files.readString(log));
            }
            assertThat(p.exitValue()).as("go build: %s", Files.readString(log)).isZero();
            return binary;
        }

        static GoClient start(Path binary, int port) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), "127.0.0.1:" + port);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            return new GoClient(pb.start());
        }

        Answer call(String method, MessageLite request) throws IOException {
            ObjectNode line = JSON.createObjectNode()
                    .put("method", method)
                    .put("request", Base64.getEncoder().encodeToString(request.toByteArray()))
                    .put("timeoutMs", 60_000);
            return send(line);
        }

        Answer callFile(String method, Path request, int timeoutMs) throws IOException {
            ObjectNode line = JSON.createObjectNode()
                    .put("method", method)
                    .put("requestFile", request.toString())
                    .put("timeoutMs", timeoutMs);
            return send(line);
        }

        private Answer send(ObjectNode line) throws IOException {
            in.write(JSON.writeValueAsBytes(line));
            in.write('\n');
            in.flush();
            String answer = out.readLine();
            assertThat(answer).as("the Go client ended").isNotNull();
            JsonNode a = JSON.readTree(answer);
            return new Answer(
                    a.path("code").asText(),
                    a.path("message").asText(),
                    Base64.getDecoder().decode(a.path("response").asText()));
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
