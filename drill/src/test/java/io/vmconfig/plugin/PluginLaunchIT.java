package io.vmconfig.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.vmconfig.adapters.goplugin.proto.GRPCBrokerGrpc;
import io.vmconfig.adapters.goplugin.proto.GRPCStdioGrpc;
import io.vmconfig.adapters.velero.proto.generated.Empty;
import io.vmconfig.adapters.velero.proto.generated.ListPluginsResponse;
import io.vmconfig.adapters.velero.proto.generated.PluginIdentifier;
import io.vmconfig.adapters.velero.proto.generated.PluginListerGrpc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launch, handshake, discovery, logging and shutdown of the built file, as Velero's go-plugin host does them. */
class PluginLaunchIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    @Test
    void isOneStaticExecutableFile() throws Exception {
        Path bin = PluginProcess.binary();
        try (var files = Files.list(bin.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("vmconfig");
        }
        assertThat(Files.isExecutable(bin)).isTrue();
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(bin)) {
            assertThat(in.read(head)).isEqualTo(4);
        }
        assertThat(head).containsExactly(0x7f, 'E', 'L', 'F');
        Process file = new ProcessBuilder("ldd", bin.toString())
                .redirectErrorStream(true)
                .start();
        String ldd = new String(file.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        file.waitFor();
        assertThat(ldd)
                .as("launcher links nothing dynamically")
                .containsAnyOf("not a dynamic executable", "statically linked");
    }

    @Test
    void handshakeIsTheOnlyStdoutAndShutdownStopsPromptly() throws Exception {
        try (PluginProcess p = PluginProcess.start(PluginProcess.veleroEnv())) {
            // §5.2/§5.3: exact format, app version 2, already listening when printed (first RPC at once, no retry)
            assertThat(p.handshake).matches(PluginProcess.HANDSHAKE);
            assertThat(p.port).isBetween(10000, 25000);
            ListPluginsResponse plugins =
                    PluginListerGrpc.newBlockingStub(p.channel).listPlugins(Empty.getDefaultInstance());
            assertThat(plugins.getPluginsCount()).isEqualTo(3);
            // §5.9: Shutdown stops the process well within Velero's 2 s
            long t0 = System.nanoTime();
            GrpcShutdown.shutdown(p.channel);
            assertThat(p.exitsWithin(2000)).as("exited within 2 s of Shutdown").isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
            assertThat(p.process.exitValue()).isZero();
            // §5.1: nothing else on stdout, ever
            assertThat(p.stdoutAfterHandshake()).isEmpty();
            assertLogLinesAreVeleroJson(p.stderr());
        }
    }

    @Test
    void listPluginsReturnsArgv0AndValidV2KindsOnly(@TempDir Path dir) throws Exception {
        // §5.6: Velero re-launches the plugin with `command`, so it must be the path we were started with
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path link = Files.createSymbolicLink(plugins.resolve("vmconfig-under-another-name"), PluginProcess.binary());
        List<String> cmd = new ArrayList<>(List.of(link.toString()));
        cmd.addAll(PluginProcess.VELERO_ARGS);
        try (PluginProcess p = PluginProcess.start(cmd, PluginProcess.veleroEnv())) {
            List<PluginIdentifier> ids = PluginListerGrpc.newBlockingStub(p.channel)
                    .listPlugins(Empty.getDefaultInstance())
                    .getPluginsList();
            assertThat(ids).allSatisfy(id -> assertThat(id.getCommand()).isEqualTo(link.toString()));
            // §5.7: exact kind strings, dns-subdomain/name, V2 only (a v1+v2 listing runs the action twice)
            assertThat(ids.stream().map(id -> id.getName() + "=" + id.getKind()).toList())
                    .containsExactlyInAnyOrder(
                            "vmconfig.io/vm-backup=BackupItemActionV2",
                            "vmconfig.io/vm-restore=RestoreItemActionV2",
                            "vmconfig.io/volume-restore=RestoreItemActionV2");
            assertThat(ids).allSatisfy(id -> assertThat(id.getName()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[^/]+"));
        }
    }

    @Test
    void healthIsServingAndOptionalStreamsAreUnimplemented() throws Exception {
        try (PluginProcess p = PluginProcess.start(PluginProcess.veleroEnv())) {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(p.channel)
                    .check(HealthCheckRequest.newBuilder().setService("plugin").build());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            StatusRuntimeException stdio = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> GRPCStdioGrpc.newBlockingStub(p.channel)
                            .streamStdio(com.google.protobuf.Empty.getDefaultInstance())
                            .hasNext());
            assertThat(stdio.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
            CompletableFuture<Status> broker = new CompletableFuture<>();
            var requests = GRPCBrokerGrpc.newStub(p.channel).startStream(new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(io.vmconfig.adapters.goplugin.proto.ConnInfo value) {}

                @Override
                public void onError(Throwable t) {
                    broker.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    broker.complete(Status.OK);
                }
            });
            requests.onCompleted();
            assertThat(broker.get().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        }
    }

    @Test
    void ignoresSigintLikeGoPluginServers() throws Exception {
        try (PluginProcess p = PluginProcess.start(PluginProcess.veleroEnv())) {
            new ProcessBuilder("kill", "-INT", Long.toString(p.process.pid()))
                    .start()
                    .waitFor();
            assertThat(p.exitsWithin(500)).isFalse();
            assertThat(PluginListerGrpc.newBlockingStub(p.channel)
                            .listPlugins(Empty.getDefaultInstance())
                            .getPluginsCount())
                    .isEqualTo(3);
        }
    }

    @Test
    void bindsInsideTheGivenPortRange() throws Exception {
        Map<String, String> env = PluginProcess.veleroEnv();
        env.put("PLUGIN_MIN_PORT", "23171");
        env.put("PLUGIN_MAX_PORT", "23190");
        try (PluginProcess a = PluginProcess.start(env);
                PluginProcess b = PluginProcess.start(env)) {
            assertThat(a.port).isBetween(23171, 23190);
            assertThat(b.port).isBetween(23171, 23190).isNotEqualTo(a.port);
        }
    }

    @Test
    void withoutTheMagicCookieExplainsAndExitsOne() throws Exception {
        String err = stderrOfRefusedStart(Map.of());
        assertThat(err).contains("Velero plugin").contains("vmconfig --help");
    }

    @Test
    void refusesAHostThatDoesNotSpeakProtocolTwo() throws Exception {
        Map<String, String> env = PluginProcess.veleroEnv();
        env.put("PLUGIN_PROTOCOL_VERSIONS", "1,3");
        String err = stderrOfRefusedStart(env);
        assertThat(err).contains("1,3").contains("\"@level\":\"error\"");
    }

    /** Starts the plugin with {@code env}, expects exit 1 and nothing on stdout, and returns stderr. */
    private static String stderrOfRefusedStart(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(PluginProcess.binary().toString());
        pb.environment().remove("VELERO_PLUGIN");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out).isEmpty();
        return err;
    }

    @Test
    void logLevelFlagIsHonoured() throws Exception {
        Map<String, String> env = PluginProcess.veleroEnv();
        List<String> quiet = List.of(PluginProcess.binary().toString(), "--features=EnableCSI", "--log-level=warning");
        try (PluginProcess p = PluginProcess.start(quiet, env)) {
            GrpcShutdown.shutdown(p.channel);
            assertThat(p.exitsWithin(2000)).isTrue();
            p.stdoutAfterHandshake();
            assertThat(p.stderr()).noneMatch(l -> l.contains("\"@level\":\"debug\"") || l.contains("\"info\""));
        }
        try (PluginProcess p = PluginProcess.start(PluginProcess.veleroEnv())) {
            GrpcShutdown.shutdown(p.channel);
            assertThat(p.exitsWithin(2000)).isTrue();
            p.stdoutAfterHandshake();
            assertThat(p.stderr()).anyMatch(l -> l.contains("\"@level\":\"debug\""));
        }
    }

    @Test
    void twoProcessesUnpackingAtOnceBothStart(@TempDir Path scratch) throws Exception {
        Map<String, String> env = PluginProcess.veleroEnv();
        env.put("VELERO_SCRATCH_DIR", scratch.toString());
        var a = CompletableFuture.supplyAsync(() -> startQuietly(env));
        var b = CompletableFuture.supplyAsync(() -> startQuietly(env));
        try (PluginProcess pa = a.get();
                PluginProcess pb = b.get()) {
            assertThat(PluginListerGrpc.newBlockingStub(pa.channel)
                            .listPlugins(Empty.getDefaultInstance())
                            .getPluginsCount())
                    .isEqualTo(3);
            assertThat(PluginListerGrpc.newBlockingStub(pb.channel)
                            .listPlugins(Empty.getDefaultInstance())
                            .getPluginsCount())
                    .isEqualTo(3);
        }
        try (var entries = Files.list(scratch)) {
            List<String> names = entries.map(e -> e.getFileName().toString()).collect(Collectors.toList());
            assertThat(names).hasSize(1).allMatch(n -> n.startsWith("vmconfig-plugin-"));
        }
    }

    @Test
    void unpacksIntoTmpdirWhenTheScratchFolderIsUnusable(@TempDir Path tmp) throws Exception {
        Map<String, String> env = PluginProcess.veleroEnv();
        env.put("VELERO_SCRATCH_DIR", tmp.resolve("missing").toString());
        env.put("TMPDIR", tmp.toString());
        try (PluginProcess p = PluginProcess.start(env)) {
            assertThat(PluginListerGrpc.newBlockingStub(p.channel)
                            .listPlugins(Empty.getDefaultInstance())
                            .getPluginsCount())
                    .isEqualTo(3);
        }
        try (var entries = Files.list(tmp)) {
            assertThat(entries.map(e -> e.getFileName().toString()).toList())
                    .singleElement()
                    .asString()
                    .startsWith("vmconfig-plugin-");
        }
    }

    @Test
    void refusesARuntimeFolderOthersCanWrite(@TempDir Path scratch) throws Exception {
        Map<String, String> env = PluginProcess.veleroEnv();
        env.put("VELERO_SCRATCH_DIR", scratch.toString());
        try (PluginProcess p = PluginProcess.start(env)) {
            assertThat(p.port).isPositive();
        }
        Path unpacked;
        try (var entries = Files.list(scratch)) {
            unpacked = entries.findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(unpacked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        String err = stderrOfRefusedStart(env);
        assertThat(err).contains("\"@level\":\"error\"").contains("refusing").contains(unpacked.toString());
    }

    @Test
    void runningOutOfHeapEndsTheProcessSoVeleroStartsAFreshOne() throws Exception {
        // under the message limit, but ~10 million JSON objects: far more than the plugin's 128 MiB heap holds as a
        // tree. The process must not live on after an OutOfMemoryError (a thread of the transport or of a library
        // may have died half-way): it exits, the call fails, and Velero's restartable process starts a new one on
        // the next call (docs/velero-plugin.md)
        StringBuilder json = new StringBuilder(32 << 20);
        json.append("{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\",")
                .append("\"metadata\":{\"name\":\"many\",\"namespace\":\"prod\"},\"spec\":{\"a\":[{}");
        while (json.length() < io.vmconfig.adapters.goplugin.GoPluginServer.MAX_INBOUND_MESSAGE - (1 << 20)) {
            json.append(",{}");
        }
        json.append("]}}");
        try (PluginProcess p = PluginProcess.start(PluginProcess.veleroEnv())) {
            StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> io.vmconfig.adapters.velero.proto.v2.BackupItemActionGrpc.newBlockingStub(p.channel)
                            .withDeadlineAfter(2, java.util.concurrent.TimeUnit.MINUTES)
                            .execute(io.vmconfig.adapters.velero.proto.v2.ExecuteRequest.newBuilder()
                                    .setPlugin("vmconfig.io/vm-backup")
                                    .setItem(com.google.protobuf.ByteString.copyFromUtf8(json.toString()))
                                    .setBackup(com.google.protobuf.ByteString.copyFromUtf8(
                                            "{\"metadata\":{\"name\":\"b\",\"namespace\":\"velero\"}}"))
                                    .build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(p.exitsWithin(30_000)).isTrue();
            assertThat(p.process.exitValue()).isEqualTo(3);
            assertThat(p.stderr()).anyMatch(l -> l.contains("java.lang.OutOfMemoryError"));
        }
    }

    @Test
    void aCorruptPayloadIsRefusedAndLeavesNoRuntimeBehind(@TempDir Path dir) throws Exception {
        // one byte flipped in the middle of the largest compressed entry of a copy of the file
        byte[] file = Files.readAllBytes(PluginProcess.binary());
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int trailer = file.length - 64;
        assertThat(new String(file, trailer, 16, StandardCharsets.US_ASCII)).isEqualTo("VMCONFIG-PAYLOAD");
        int pos = (int) b.getLong(trailer + 16);
        long entries = b.getLong(trailer + 24);
        int target = -1;
        long largest = 0;
        for (long i = 0; i < entries; i++) {
            int pathLength = Short.toUnsignedInt(b.getShort(pos + 4));
            int head = pos + 6 + pathLength;
            boolean stored = (b.getInt(head) & 0x80000000) != 0;
            long csize = b.getLong(head + 20);
            if (!stored && csize > largest) {
                largest = csize;
                target = (int) (head + 28 + csize / 2);
            }
            pos = (int) (head + 28 + csize);
        }
        assertThat(target).isPositive();
        file[target] ^= 0x5a;
        Path copy = dir.resolve("plugins/vmconfig");
        Files.createDirectories(copy.getParent());
        Files.write(copy, file);
        Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Map<String, String> env = PluginProcess.veleroEnv();
        env.put("VELERO_SCRATCH_DIR", scratch.toString());
        ProcessBuilder pb = new ProcessBuilder(copy.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isNotZero();
        assertThat(out).isEmpty();
        assertThat(err).contains("\"@level\":\"error\"").contains("corrupt payload entry");
        try (var left = Files.list(scratch)) {
            assertThat(left.toList())
                    .as("no runtime folder, complete or partial")
                    .isEmpty();
        }
    }

    private static PluginProcess startQuietly(Map<String, String> env) {
        try {
            return PluginProcess.start(env);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** §5.4: every stderr line is a JSON object with string @level/@message/@timestamp Velero accepts. */
    static void assertLogLinesAreVeleroJson(List<String> lines) throws Exception {
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError("a stderr line Velero cannot parse: " + line, e);
            }
            assertThat(n.isObject()).as(line).isTrue();
            assertThat(n.get("@level").isTextual()).as(line).isTrue();
            assertThat(LEVELS).as(line).contains(n.get("@level").asText());
            assertThat(n.get("@message").isTextual()).as(line).isTrue();
            assertThat(n.get("@timestamp").asText())
                    .as(line)
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}(Z|[+-]\\d\\d:\\d\\d)");
            n.fields()
                    .forEachRemaining(
                            e -> assertThat(e.getValue().isTextual()).as(line).isTrue());
            assertThat(line.length()).isLessThan(64 * 1024);
        }
    }
}
