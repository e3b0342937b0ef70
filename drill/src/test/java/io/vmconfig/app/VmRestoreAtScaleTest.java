package io.vmconfig.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.velero.ConfigOnlyOption;
import io.vmconfig.core.velero.CoreVmPorts;
import io.vmconfig.core.velero.Items;
import io.vmconfig.core.velero.PluginConfigPort;
import io.vmconfig.core.velero.RestoreResult;
import io.vmconfig.core.velero.VmRestoreAction;
import io.vmconfig.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vm-restore against an in-process DR API server: how many API requests a restore of N VMs costs. */
class VmRestoreAtScaleTest {
    static final int N = 20;

    @TempDir
    Path tmp;

    EmbeddedKube dr;
    String before;

    @BeforeEach
    void start() {
        dr = EmbeddedKube.start("dr", tmp).seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"));
        ObjectNode pvc = dr.cluster
                .get(io.vmconfig.adapters.kube.KubeKind.PVC, "prod-apps", "dr-app-03-disk")
                .orElseThrow();
        for (int i = 0; i < N; i++) {
            ObjectNode copy = pvc.deepCopy();
            ObjectNode meta = (ObjectNode) copy.path("metadata");
            meta.remove(List.of("uid", "resourceVersion", "creationTimestamp"));
            meta.put("name", String.format("dr-vm-%03d-disk", i));
            dr.create(copy);
        }
        before = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", dr.kubeconfig.toString());
        dr.faults.drainSeen();
    }

    @AfterEach
    void stop() {
        if (before == null) {
            System.clearProperty("kubeconfig");
        } else {
            System.setProperty("kubeconfig", before);
        }
        dr.close();
    }

    static ObjectNode item(int i) {
        ObjectNode vm = (ObjectNode) KubeObjectReader.read(Fixtures.EXAMPLES.resolve("production/app-03.yaml")).stream()
                .filter(o -> o.kind().equals("VirtualMachine"))
                .findFirst()
                .orElseThrow()
                .object()
                .deepCopy();
        String json = Json.compact(vm).replace("app-03-disk", String.format("vm-%03d-disk", i));
        ObjectNode out = (ObjectNode) Json.parse(json, "vm");
        ((ObjectNode) out.path("metadata")).put("name", String.format("vm-%03d", i));
        Items.annotate(out, ConfigOnlyOption.BACKUP_MODE_ANNOTATION, ConfigOnlyOption.CONFIG_ONLY);
        return out;
    }

    static PluginConfigPort map() {
        String yaml = Fixtures.read(Fixtures.EXAMPLES.resolve("volume-map.yaml"));
        return new PluginConfigPort() {
            @Override
            public Optional<String> volumeMapYaml() {
                return Optional.of(yaml);
            }

            @Override
            public Optional<com.fasterxml.jackson.databind.JsonNode> backup(String namespace, String name) {
                return Optional.empty();
            }
        };
    }

    static void print(String what, List<ApiRequest> seen) {
        System.out.printf(
                "%s: %d API requests (%.1f per VM), %d lists: %s%n",
                what,
                seen.size(),
                seen.size() / (double) N,
                seen.stream().filter(r -> r.verb().equals("list")).count(),
                seen.stream()
                        .collect(Collectors.groupingBy(
                                r -> r.verb() + " " + r.resource(), java.util.TreeMap::new, Collectors.counting())));
    }

    @Test
    void aRestoreOfNVmsReadsTheInventoryOnceAndAFewObjectsPerVm() {
        ObjectNode restore = (ObjectNode)
                Json.parse("{\"metadata\":{\"name\":\"r1\",\"namespace\":\"velero\"," + "\"uid\":\"u-1\"}}", "restore");
        try (PluginDrCluster cluster = new PluginDrCluster(Clock.systemUTC())) {
            VmRestoreAction action =
                    new VmRestoreAction(CoreVmPorts.drRestore(UUID::randomUUID), map(), Optional.of(cluster));
            for (int i = 0; i < N; i++) {
                RestoreResult r = action.execute(item(i), item(i), restore);
                assertThat(r.skipRestore()).isFalse();
            }
            List<ApiRequest> seen = dr.faults.drainSeen();
            print("vm-restore of " + N + " VMs", seen);
            long lists = seen.stream().filter(r -> r.verb().equals("list")).count();
            assertThat(lists).as("the inventory is listed once per Restore").isEqualTo(6);
            assertThat(seen.size() - lists)
                    .as("per VM: the activation flag, the VM (and its VMI when it exists)")
                    .isLessThanOrEqualTo(3L * N);
            // the cached inventory knows the VMs this Restore let through: a second VM on vm-000's claim is blocked
            ObjectNode twin = item(0);
            ((ObjectNode) twin.path("metadata")).put("name", "twin");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> action.execute(twin, twin, restore))
                    .isInstanceOf(VmConfigException.class)
                    .hasMessageContaining("PVC_IN_USE");
            dr.faults.drainSeen();
            for (int i = 0; i < N; i++) {
                action.execute(item(i), item(i), restore);
            }
            List<ApiRequest> again = dr.faults.drainSeen();
            print("the same Restore again", again);
            assertThat(again).noneMatch(r -> r.verb().equals("list"));
        }
    }

    @Test
    void anUnreachableApiServerIsUnavailableNotInternal() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path kc = tmp.resolve("dead.kubeconfig");
        java.nio.file.Files.writeString(
                kc,
                java.nio.file.Files.readString(dr.kubeconfig)
                        .replaceAll("server: http[^\\n]*", "server: https://127.0.0.1:" + closed));
        System.setProperty("kubeconfig", kc.toString());
        try (PluginDrCluster cluster = new PluginDrCluster(Clock.systemUTC())) {
            VmRestoreAction action =
                    new VmRestoreAction(CoreVmPorts.drRestore(UUID::randomUUID), map(), Optional.of(cluster));
            var service = new io.vmconfig.adapters.velero.RestoreItemActionService(
                    action,
                    new io.vmconfig.core.velero.VolumeRestoreAction(map()),
                    new io.vmconfig.adapters.goplugin.JsonLogger(
                            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                            io.vmconfig.adapters.goplugin.LogLevel.ERROR,
                            Clock.systemUTC()));
            var request = io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteRequest.newBuilder()
                    .setPlugin(io.vmconfig.core.velero.PluginCatalog.VM_RESTORE)
                    .setItem(com.google.protobuf.ByteString.copyFromUtf8(Json.compact(item(1))))
                    .setItemFromBackup(com.google.protobuf.ByteString.copyFromUtf8(Json.compact(item(1))))
                    .setRestore(com.google.protobuf.ByteString.copyFromUtf8("{\"metadata\":{\"name\":\"r2\"}}"))
                    .build();
            java.util.concurrent.CompletableFuture<Throwable> error = new java.util.concurrent.CompletableFuture<>();
            service.execute(request, new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteResponse v) {
                    error.complete(null);
                }

                @Override
                public void onError(Throwable t) {
                    error.complete(t);
                }

                @Override
                public void onCompleted() {}
            });
            Throwable t = error.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(io.grpc.StatusRuntimeException.class);
            io.grpc.Status status = ((io.grpc.StatusRuntimeException) t).getStatus();
            System.out.println("unreachable DR API server: " + status);
            assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        }
    }
}
