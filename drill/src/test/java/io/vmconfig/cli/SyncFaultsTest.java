package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.Faults;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.TcpGate;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault injection for {@code restore --context} and {@code sync}: each fault is armed on the in-process DR API server
 * (or between the command and it), the command runs, and then: no VM was started or is running, no VM exists without
 * the dependencies it names (nothing half-applied), the failure is visible (exit code, message, Event), production
 * received no write, and the next run without the fault converges to exactly the DR state of a clean run.
 */
class SyncFaultsTest {
    @TempDir
    Path tmp;

    TwoClusters c;
    /** What a clean restore of the same set writes on a DR cluster of its own. */
    Map<String, JsonNode> reference;

    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() {
        c = TwoClusters.start(tmp);
        c.backup();
        try (EmbeddedKube clean =
                EmbeddedKube.start("clean", tmp).seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"))) {
            Cli.Result r = Cli.run(c.drArgs("restore", clean.contextArgs()));
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            reference = state(clean);
        }
        assertThat(reference.keySet())
                .contains("VirtualMachine prod-apps/web-01", "Secret prod-apps/web-01-cloudinit-8fj2d");
        c.prod.faults.drainSeen();
        c.dr.faults.drainSeen();
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
        c.close();
    }

    /** Everything vmconfig wrote on a DR cluster, without what the server assigns. */
    static Map<String, JsonNode> state(EmbeddedKube k) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (KubeKind kind : List.of(
                KubeKind.VM,
                KubeKind.SECRET,
                KubeKind.CONFIG_MAP,
                KubeKind.SERVICE_ACCOUNT,
                KubeKind.CONTROLLER_REVISION,
                KubeKind.NAMESPACE)) {
            for (ObjectNode o : k.cluster.list(kind, null, null)) {
                JsonNode meta = o.path("metadata");
                if (!meta.path("annotations").has(Annotations.PREFIX + "desired-hash")
                        && !meta.path("labels").has(Annotations.MANAGED_LABEL)) {
                    continue;
                }
                ObjectNode n = o.deepCopy();
                ((ObjectNode) n.path("metadata"))
                        .remove(List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"));
                n.remove("status");
                // when it was written differs from run to run (who wrote it does not)
                if (n.path("metadata").path("annotations") instanceof ObjectNode a) {
                    a.remove(io.vmconfig.core.access.Audit.APPLIED_AT);
                }
                out.put(
                        kind.kind() + " "
                                + (meta.path("namespace").asText().isEmpty()
                                        ? ""
                                        : meta.path("namespace").asText() + "/")
                                + meta.path("name").asText(),
                        n);
            }
        }
        return out;
    }

    /** No VM runs or was started; every VM's Secrets, ConfigMaps and ServiceAccount exist: nothing half-applied. */
    static void safe(EmbeddedKube dr) {
        assertThat(dr.cluster.list(KubeKind.VMI, null, null)).as("VMIs").isEmpty();
        for (ObjectNode vm : dr.cluster.list(KubeKind.VM, null, null)) {
            String ns = vm.at("/metadata/namespace").asText();
            assertThat(vm.at("/spec/runStrategy").asText())
                    .as(vm.at("/metadata/name").asText())
                    .isEqualTo("Halted");
            assertThat(vm.at("/spec/running").asBoolean(false)).isFalse();
            for (JsonNode v : vm.at("/spec/template/spec/volumes")) {
                for (String secret : List.of(
                        v.at("/cloudInitNoCloud/secretRef/name").asText(),
                        v.at("/cloudInitConfigDrive/secretRef/name").asText(),
                        v.at("/secret/secretName").asText())) {
                    if (!secret.isEmpty()) {
                        assertThat(dr.cluster.get(KubeKind.SECRET, ns, secret))
                                .as("Secret %s of a VM", secret)
                                .isPresent();
                    }
                }
                String cm = v.at("/configMap/name").asText();
                if (!cm.isEmpty()) {
                    assertThat(dr.cluster.get(KubeKind.CONFIG_MAP, ns, cm))
                            .as("ConfigMap %s of a VM", cm)
                            .isPresent();
                }
                String sa = v.at("/serviceAccount/serviceAccountName").asText();
                if (!sa.isEmpty()) {
                    assertThat(dr.cluster.get(KubeKind.SERVICE_ACCOUNT, ns, sa))
                            .as("ServiceAccount %s", sa)
                            .isPresent();
                }
            }
        }
    }

    /** Arms one fault and runs the command on DR under it. */
    interface Run {
        Cli.Result apply(SyncFaultsTest t, String command) throws Exception;
    }

    static Cli.Result drCommand(SyncFaultsTest t, String command) {
        // the faults hit "the Nth write", which names a VM only when VMs are written one after another
        return command.equals("sync")
                ? t.c.onDr(KubeCluster::connect, "sync", "--once", "-o", "json", "--parallel", "1")
                : t.c.onDr(KubeCluster::connect, "restore", "-o", "json", "--parallel", "1");
    }

    static Stream<Arguments> faults() {
        List<Arguments> out = new ArrayList<>();
        for (String command : List.of("restore", "sync")) {
            out.add(Arguments.of(
                    command, "one HTTP 500 on the 3rd write (the client retries it)", false, "", (Run) (t, cmd) -> {
                        t.c.dr.faults.fail(Faults.writes(), 3, 1, 500);
                        return drCommand(t, cmd);
                    }));
            out.add(Arguments.of(
                    command, "HTTP 500 on 5 writes in a row from the 3rd", true, "HTTP 500", (Run) (t, cmd) -> {
                        t.c.dr.faults.fail(Faults.writes(), 3, 5, 500);
                        return drCommand(t, cmd);
                    }));
            // the 14th: the permission pre-flight reads the 2 target namespaces before the apply (its reviews are
            // answered in front of the faults), so this still lands in the apply
            out.add(Arguments.of(
                    command, "HTTP 503 for 6 requests from the 14th on", true, "HTTP 503", (Run) (t, cmd) -> {
                        t.c.dr.faults.fail(Faults.any(), 14, 6, 503);
                        return drCommand(t, cmd);
                    }));
            out.add(Arguments.of(
                    command, "gateway timeouts (504) on 5 creates in a row from the 2nd", true, "HTTP 504", (Run)
                            (t, cmd) -> {
                                t.c.dr.faults.fail(Faults.verb("create", null), 2, 5, 504);
                                return drCommand(t, cmd);
                            }));
            out.add(Arguments.of(command, "a 409 storm on every write", true, "HTTP 409", (Run) (t, cmd) -> {
                t.c.dr.faults.fail(Faults.writes(), 1, 6, 409);
                return drCommand(t, cmd);
            }));
            out.add(Arguments.of(command, "a slow list (3 s) of the DR VMs", false, "", (Run) (t, cmd) -> {
                t.c.dr.faults.delay(Faults.verb("list", "virtualmachines"), 1, Duration.ofSeconds(3));
                return drCommand(t, cmd);
            }));
            out.add(Arguments.of(command, "the process stops between two writes", true, "no longer holds", (Run)
                    (t, cmd) -> {
                        // as a kill: after the 4th write this process writes nothing more (the write fence closes)
                        KubeConnector dying = (kc, ctx, qps, burst) -> {
                            KubeCluster k = KubeCluster.connect(kc, ctx, qps, burst);
                            k.fence(() -> k.meter().writes() < 4);
                            return k;
                        };
                        return cmd.equals("sync")
                                ? t.c.onDr(dying, "sync", "--once", "-o", "json", "--parallel", "1")
                                : t.c.onDr(dying, "restore", "-o", "json", "--parallel", "1");
                    }));
            out.add(Arguments.of(
                    command, "the API server restarts in the middle of the apply", true, "unreachable", (Run)
                            (t, cmd) -> {
                                TcpGate gate = new TcpGate(t.c.dr.server.getPort());
                                Path kc = t.tmp.resolve("gate.kubeconfig");
                                Files.writeString(
                                        kc,
                                        Files.readString(t.c.dr.kubeconfig)
                                                .replace(":" + t.c.dr.server.getPort(), ":" + gate.port()));
                                t.c.dr.faults.on(Faults.writes(), 3, () -> {
                                    gate.down();
                                    var unused = t.timer.schedule(
                                            () -> {
                                                gate.up();
                                                return null;
                                            },
                                            3,
                                            TimeUnit.SECONDS);
                                });
                                String[] ctx = {"--kubeconfig", kc.toString(), "--context", "dr"};
                                return cmd.equals("sync")
                                        ? Cli.run(t.c.drArgs("sync", ctx, "--once", "-o", "json", "--parallel", "1"))
                                        : Cli.run(t.c.drArgs("restore", ctx, "-o", "json", "--parallel", "1"));
                            }));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("faults")
    void afterAFaultNothingIsHalfAppliedAndTheNextRunConvergesToACleanRunsState(
            String command, String fault, boolean fails, String shown, Run scenario) throws Exception {
        Cli.Result first = scenario.apply(this, command);
        assertThat(c.dr.faults.pending()).as("the fault fired").isZero();
        String said = first.out() + first.err();
        if (fails) {
            assertThat(first.code()).as(said).isIn(ExitCodes.PARTIAL, ExitCodes.UNAVAILABLE);
            assertThat(said).as("the failure is named").contains(shown);
        } else {
            assertThat(first.code()).as(said).isZero();
        }
        safe(c.dr);
        c.dr.faults.clear();
        Thread.sleep(fault.contains("restarts") ? 3500 : 0); // the gate is back after 3 s (not a speed assertion)
        Cli.Result second = drCommand(this, command);
        assertThat(second.code()).as(second.out() + second.err()).isZero();
        safe(c.dr);
        assertThat(state(c.dr))
                .as("the DR state after recovering from: " + fault)
                .isEqualTo(reference);
        List<ApiRequest> prodSeen = c.prod.faults.drainSeen();
        assertThat(prodSeen)
                .as("production is never written (nor read) by a DR command")
                .isEmpty();
        if (fails
                && command.equals("sync")
                && !fault.contains("stops")
                && !fault.contains("restarts")
                && !fault.contains("409")) {
            // the VM the fault hit says so on DR: kubectl describe shows an ApplyFailed Warning
            assertThat(c.dr.cluster.list(KubeKind.EVENT, null, null))
                    .anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("ApplyFailed"));
        }
    }

    @Test
    void aRunningDrVmIsNotTouchedUnderFaultsEither() {
        assertThat(c.onDr(KubeCluster::connect, "restore").code()).isZero();
        ObjectNode web = c.dr.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow();
        ((ObjectNode) web.path("spec")).put("runStrategy", "Always");
        c.dr.cluster.update(KubeKind.VM, web);
        ObjectNode running =
                c.dr.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow();
        ObjectNode vm = c.prod.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow();
        ((ObjectNode) vm.at("/spec/template/spec/domain")).putObject("cpu").put("cores", 7);
        c.prod.cluster.update(KubeKind.VM, vm);
        c.backup();
        c.dr.faults.fail(Faults.any(), 2, 3, 500);
        c.onDr(KubeCluster::connect, "sync", "--once");
        c.dr.faults.clear();
        Cli.Result again = c.onDr(KubeCluster::connect, "sync", "--once", "-o", "json");
        assertThat(again.out()).contains("running on DR");
        assertThat(c.dr.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow())
                .isEqualTo(running);
    }

    @Test
    void s3UnreachableForAWhileWritesNothingOnDrAndTheNextRunConverges() throws Exception {
        io.vmconfig.adapters.embedded.EmbeddedS3 s3 = io.vmconfig.adapters.embedded.EmbeddedS3.get();
        String direct = s3.newBucketUrl("vmconfig/prod");
        int s3Port = java.net.URI.create(s3.endpoint()).getPort();
        try (TcpGate gate = new TcpGate(s3Port)) {
            String url = direct.replace(":" + s3Port, ":" + gate.port()) + "&credentials="
                    + io.vmconfig.adapters.embedded.EmbeddedS3.writeCredentials(tmp.resolve("s3/credentials"))
                    + "&profile=default";
            assertThat(Cli.run(
                                    "repo",
                                    "init",
                                    "--repo",
                                    url,
                                    "--signer",
                                    c.keys + "/signing.pub",
                                    "--key",
                                    c.keys + "/repository.key")
                            .code())
                    .isZero();
            Cli.Result b = Cli.run(Stream.concat(
                            Stream.of(
                                    "backup",
                                    "--repo",
                                    url,
                                    "--signing-key",
                                    c.keys + "/signing.key",
                                    "--key",
                                    c.keys + "/repository.key",
                                    "--source-cluster",
                                    "prod"),
                            Stream.of(c.prod.contextArgs()))
                    .toArray(String[]::new));
            assertThat(b.code()).as(b.err()).isZero();
            String[] restore = {
                "restore",
                "--repo",
                url,
                "--verify-key",
                c.keys + "/signing.pub",
                "--key",
                c.keys + "/repository.key",
                "--map",
                TwoClusters.MAP,
                "-o",
                "json"
            };
            Map<String, JsonNode> clean;
            try (EmbeddedKube other =
                    EmbeddedKube.start("other", tmp).seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"))) {
                assertThat(Cli.run(Stream.concat(Stream.of(restore), Stream.of(other.contextArgs()))
                                        .toArray(String[]::new))
                                .code())
                        .isZero();
                clean = state(other);
            }
            c.dr.faults.drainSeen();
            gate.down();
            Cli.Result down = Cli.run(Stream.concat(Stream.of(restore), Stream.of(c.dr.contextArgs()))
                    .toArray(String[]::new));
            assertThat(down.code()).as(down.out() + down.err()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(c.dr.faults.drainSeen())
                    .as("nothing is read or written on DR without the set")
                    .noneMatch(r -> !r.verb().equals("get") && !r.verb().equals("list"));
            assertThat(state(c.dr)).isEmpty();
            gate.up();
            Cli.Result up = Cli.run(Stream.concat(Stream.of(restore), Stream.of(c.dr.contextArgs()))
                    .toArray(String[]::new));
            assertThat(up.code()).as(up.out() + up.err()).isZero();
            safe(c.dr);
            assertThat(state(c.dr)).isEqualTo(clean);
        }
    }
}
