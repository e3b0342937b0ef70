package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.app.Main;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.TestRepository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmconfig sync} as a controller, in-process against the in-process API servers: the leader-election flag,
 * /metrics, /healthz and /readyz over HTTP, JSON log lines without Secret data, Events on DR (never on production).
 */
class SyncControllerCommandTest {
    static final String MAP = Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();
    static final String SENTINEL = "S3NTINEL-never-logged-7b1f";

    @TempDir
    Path tmp;

    String keys;
    String repo;
    EmbeddedKube prod;
    EmbeddedKube dr;

    io.vmconfig.testing.TwoClusters clusters;

    @BeforeEach
    void start() {
        clusters = io.vmconfig.testing.TwoClusters.start(tmp);
        keys = clusters.keys;
        repo = clusters.repo;
        prod = clusters.prod;
        dr = clusters.dr;
        ObjectNode secret = prod.cluster
                .get(KubeKind.SECRET, "prod-apps", "web-01-cloudinit-8fj2d")
                .orElseThrow();
        Json.ensureObject(secret, "data")
                .put("password", Base64.getEncoder().encodeToString(SENTINEL.getBytes(StandardCharsets.UTF_8)));
        prod.cluster.update(KubeKind.SECRET, secret);
        clusters.backup();
    }

    @AfterEach
    void stop() {
        clusters.close();
    }

    static SyncCommand syncCommand(String... args) {
        CliRunner runner = Main.runner();
        picocli.CommandLine cl =
                runner.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        picocli.CommandLine.ParseResult r = cl.parseArgs(args);
        return (SyncCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void leaderElectionIsOnByDefaultAndBothFormsOfTheFlagMeanWhatTheySay() {
        String[] base = {"sync", "--repo", "r", "--map", "m"};
        assertThat(syncCommand(base).leaderElect()).isTrue();
        assertThat(syncCommand(Stream.concat(Stream.of(base), Stream.of("--leader-elect"))
                                .toArray(String[]::new))
                        .leaderElect())
                .isTrue();
        assertThat(syncCommand(Stream.concat(Stream.of(base), Stream.of("--no-leader-elect"))
                                .toArray(String[]::new))
                        .leaderElect())
                .isFalse();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** A running {@code sync} controller (no leader election, JSON log) and what it printed so far. */
    record Controller(SyncCommand sync, CompletableFuture<Integer> exit, StringWriter out, StringWriter err, int port) {
        /** Polls /metrics until {@code series} shows (at most 60 s) and returns the last metrics it read. */
        String runUntil(String series) throws Exception {
            String metrics = "";
            for (int i = 0; i < 600 && !metrics.contains(series); i++) {
                Thread.sleep(100);
                metrics = get(port, "/metrics").body();
            }
            return metrics;
        }

        int stop() throws Exception {
            sync.stop();
            return exit.get(60, TimeUnit.SECONDS);
        }
    }

    Controller controller() throws Exception {
        CompletableFuture<SyncCommand.Running> running = new CompletableFuture<>();
        RepoEnvironment env = new RepoEnvironment(
                new io.vmconfig.app.RepoUrls(System.getenv(), io.vmconfig.core.repo.RetryingBlobStore.REAL_SLEEP),
                Clock.systemUTC(),
                new SecureRandom());
        SyncCommand sync = new SyncCommand(env, KubeCluster::connect, UUID::randomUUID, running::complete);
        CliRunner runner = new CliRunner(List.of(sync));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int port = freePort();
        String[] args = TestRepository.args(
                "sync",
                TestRepository.reader(repo, keys, MAP),
                "--no-leader-elect",
                "--interval",
                "1h",
                "--port",
                Integer.toString(port),
                "--log-format",
                "json",
                dr.contextArgs());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> runner.run(new PrintWriter(out, true), new PrintWriter(err, true), args));
        running.get(60, TimeUnit.SECONDS);
        return new Controller(sync, exit, out, err, port);
    }

    @Test
    void theControllerSyncsReportsHealthMetricsJsonLogsAndEventsOnDrOnly() throws Exception {
        dr.cluster.delete(KubeKind.PVC, "prod-apps", "dr-app-03-disk"); // app-03 is blocked: PVC_MISSING
        prod.faults.drainSeen();
        Controller c = controller();
        assertThat(get(c.port(), "/readyz").statusCode()).isEqualTo(200);
        String metrics = c.runUntil("vmconfig_sync_passes_total{result=\"success\"} 1.0");
        HttpResponse<String> health = get(c.port(), "/healthz");
        assertThat(c.stop()).isZero();
        StringWriter out = c.out();
        StringWriter err = c.err();

        assertThat(metrics)
                .contains("vmconfig_sync_passes_total{result=\"success\"} 1.0")
                .contains("vmconfig_sync_vms{state=\"created\"} 2.0")
                .contains("vmconfig_sync_vms{state=\"blocked\"} 1.0")
                .contains("vmconfig_sync_blocked_vms{reason=\"PVC_MISSING\"} 1.0")
                .contains("vmconfig_kube_requests_total{verb=\"list\"}")
                .contains("vmconfig_kube_requests_total{verb=\"create\"}")
                .contains("vmconfig_build_info{version=")
                .contains("jvm_memory_used_bytes")
                .contains("process_cpu_seconds_total")
                .contains("vmconfig_sync_pass_duration_seconds_bucket")
                .contains("vmconfig_sync_repository_read_bytes_total")
                .doesNotContain("vmconfig_sync_last_applied_set_created_timestamp_seconds 0.0");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("OK");

        // one JSON object per line, with time, level and message; VM lines name the VM, the set and the pass
        List<JsonNode> lines = new ArrayList<>();
        for (String line : err.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.parse(line, "log line"));
            }
        }
        assertThat(lines)
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.has("time") && l.has("level") && l.has("message"))
                        .as(l.toString())
                        .isTrue());
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("vm").asText()).isEqualTo("prod-apps/app-03");
            assertThat(l.path("level").asText()).isEqualTo("warn");
            assertThat(l.path("reasons").asText()).contains("PVC_MISSING");
            assertThat(l.path("set").asText()).isNotEmpty();
            assertThat(l.path("pass").asInt()).isEqualTo(1);
        });
        String everything = out + err.toString() + metrics;
        assertThat(everything)
                .doesNotContain(SENTINEL)
                .doesNotContain(Base64.getEncoder().encodeToString(SENTINEL.getBytes(StandardCharsets.UTF_8)))
                .doesNotContain("systemctl enable");

        // Events on DR: created VMs on the VM, the blocked VM (not on DR) on the sync's Lease; none on production
        List<ObjectNode> events = new ArrayList<>(dr.cluster.list(KubeKind.EVENT, null, null));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("reason").asText()).isEqualTo("Created");
            assertThat(e.at("/involvedObject/kind").asText()).isEqualTo("VirtualMachine");
            assertThat(e.at("/involvedObject/name").asText()).isEqualTo("web-01");
            assertThat(e.at("/involvedObject/uid").asText())
                    .isEqualTo(dr.cluster
                            .get(KubeKind.VM, "prod-apps", "web-01")
                            .orElseThrow()
                            .at("/metadata/uid")
                            .asText());
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("reason").asText()).isEqualTo("Blocked");
            assertThat(e.path("type").asText()).isEqualTo("Warning");
            assertThat(e.at("/involvedObject/kind").asText()).isEqualTo("Lease");
            assertThat(e.at("/involvedObject/namespace").asText()).isEqualTo("vmconfig-system");
            assertThat(e.path("message").asText()).contains("prod-apps/app-03").contains("PVC_MISSING");
        });
        assertThat(events.toString()).doesNotContain(SENTINEL).doesNotContain("systemctl");
        assertThat(prod.faults.drainSeen()).as("sync never talks to production").isEmpty();
        // --no-leader-elect: no Lease is taken
        assertThat(dr.cluster.list(KubeKind.LEASE, null, null)).isEmpty();
    }

    @Test
    void aBlockedVmsEventIsDeduplicatedAcrossPassesLikeKubectlsRecorder() {
        dr.cluster.delete(KubeKind.PVC, "prod-apps", "dr-app-03-disk");
        prod.faults.drainSeen();
        String[] base = TestRepository.args("sync", "--once", TestRepository.reader(repo, keys, MAP), dr.contextArgs());
        assertThat(Cli.run(base).code()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(Cli.run(base).code()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(Cli.run(base).code()).isEqualTo(ExitCodes.PARTIAL);
        List<ObjectNode> blocked = dr.cluster.list(KubeKind.EVENT, null, null).stream()
                .filter(e -> e.path("reason").asText().equals("Blocked"))
                .toList();
        assertThat(blocked).singleElement().satisfies(e -> {
            assertThat(e.path("count").asInt()).isEqualTo(3);
            assertThat(e.path("source").path("component").asText()).isEqualTo("vmconfig-sync");
        });
        List<ObjectNode> created = dr.cluster.list(KubeKind.EVENT, null, null).stream()
                .filter(e -> e.path("reason").asText().equals("Created"))
                .toList();
        assertThat(created)
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.path("count").asInt()).isEqualTo(1));
        List<ApiRequest> seen = prod.faults.drainSeen();
        assertThat(seen).noneMatch(x -> !x.verb().equals("get") && !x.verb().equals("list"));
    }

    @Test
    void aFailingControllerShowsItInMetricsLogAndEventsStaysLiveAndRecovers() throws Exception {
        // the first pass meets 503s on every create of lab-dr's VM, the client's own retries included: that VM is
        // not applied (partial). The fault is lifted once the partial pass shows, so the outcome does not depend on
        // how the pass's writes (reviews, Events, VMs in parallel) interleave.
        dr.faults.fail(
                r -> r.verb().equals("create")
                        && r.resource().equals("virtualmachines")
                        && "lab-dr".equals(r.namespace()),
                1,
                Integer.MAX_VALUE,
                503);
        Controller c = controller();
        String first = c.runUntil("vmconfig_sync_passes_total{result=\"partial\"} 1.0");
        dr.faults.clear();
        assertThat(first).contains("vmconfig_sync_passes_total{result=\"partial\"} 1.0");
        // the retry comes after the backoff (2.5 to 5 s of real time), not after the 1 h interval
        String metrics = c.runUntil("vmconfig_sync_passes_total{result=\"success\"} 1.0");
        HttpResponse<String> health = get(c.port(), "/healthz");
        assertThat(c.stop()).isZero();
        StringWriter err = c.err();
        assertThat(metrics)
                .contains("vmconfig_sync_passes_total{result=\"partial\"} 1.0")
                .contains("vmconfig_sync_passes_total{result=\"success\"} 1.0")
                .contains("vmconfig_kube_request_errors_total{code=\"503\",verb=\"create\"}")
                .contains("vmconfig_sync_consecutive_failed_passes 0.0");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(err.toString())
                .contains("\"message\":\"sync pass finished\"")
                .contains("\"result\":\"partial\"")
                .contains("HTTP 503");
        assertThat(dr.cluster.list(KubeKind.EVENT, null, null))
                .anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("ApplyFailed"));
        assertThat(dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
        assertThat(dr.cluster.get(KubeKind.VM, "lab-dr", "db-02")).isPresent();
    }
}
