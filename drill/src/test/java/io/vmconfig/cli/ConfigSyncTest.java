package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.ApiRequest;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.TestRepository;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sync driven by ConfigSync objects (deploy/crds) on the in-process DR API server: the VolumeMap by reference, keys
 * from a Secret, several ConfigSyncs in one run, and the status written through the status subresource only.
 */
class ConfigSyncTest {
    @TempDir
    Path tmp;

    TwoClusters c;

    @BeforeEach
    void start() {
        c = TwoClusters.start(tmp);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private Cli.Result sync(String... more) {
        String[] args =
                TestRepository.args("sync", "--once", "--no-leader-elect", "-o", "json", more, c.dr.contextArgs());
        return Cli.run(args);
    }

    private JsonNode status(String name) {
        return c.dr.cluster
                .get(KubeKind.CONFIG_SYNC, "vmconfig-system", name)
                .orElseThrow()
                .path("status");
    }

    private static String condition(JsonNode status, String type) {
        for (JsonNode k : status.path("conditions")) {
            if (k.path("type").asText().equals(type)) {
                return k.path("status").asText() + "/" + k.path("reason").asText();
            }
        }
        return "absent";
    }

    @Test
    void aConfigSyncRunsFromItsSpecAndWritesItsStatusOnlyThroughTheStatusSubresource() {
        String set = c.backup();
        c.configSync("dr");
        Cli.Result r = sync("--config-sync", "vmconfig-system/dr");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<ApiRequest> seen = c.dr.faults.drainSeen();
        assertThat(seen)
                .filteredOn(q -> q.resource().startsWith("configsyncs")
                        && !q.verb().equals("get")
                        && !q.verb().equals("list"))
                .extracting(q -> q.verb() + " " + q.resource())
                .containsExactly("update configsyncs/status");
        assertThat(c.dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
        JsonNode s = status("dr");
        assertThat(s.path("lastAppliedSet").asText()).isEqualTo(set);
        assertThat(s.path("inSync").asBoolean()).isTrue();
        assertThat(s.path("counts").path("created").asInt()).isEqualTo(3);
        assertThat(s.path("configRPOSeconds").isIntegralNumber()).isTrue();
        assertThat(condition(s, "Ready")).isEqualTo("True/PassSucceeded");
        assertThat(condition(s, "Synced")).isEqualTo("True/InSync");
        assertThat(condition(s, "Degraded")).isEqualTo("False/AsExpected");
        assertThat(c.dr.cluster
                        .get(KubeKind.CONFIG_SYNC, "vmconfig-system", "dr")
                        .orElseThrow()
                        .at("/spec/interval")
                        .asText())
                .as("the spec is never written")
                .isEqualTo("1h");
    }

    @Test
    void manyConfigSyncsRunInOneCommandEachWithItsNamespacesAndBlockedVmsAreListed() {
        c.backup();
        c.configSync("apps", "prod-apps");
        c.configSync("lab", "lab");
        c.dr.cluster.delete(KubeKind.PVC, "lab-dr", "dr-db-02-data");
        Cli.Result r = sync("--all-config-syncs");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.PARTIAL);
        JsonNode apps = status("apps");
        assertThat(apps.path("counts").path("created").asInt()).isEqualTo(2);
        assertThat(condition(apps, "Synced")).isEqualTo("True/InSync");
        JsonNode lab = status("lab");
        assertThat(lab.path("blockedCount").asInt()).isEqualTo(1);
        assertThat(lab.at("/blockedVMs/0/vm").asText()).isEqualTo("lab/db-02");
        assertThat(lab.at("/blockedVMs/0/codes").toString()).contains("PVC_MISSING");
        assertThat(lab.path("inSync").asBoolean()).isFalse();
        assertThat(lab.has("lastAppliedSet")).isTrue();
        assertThat(condition(lab, "Synced")).isEqualTo("False/VmsBlocked");
        assertThat(condition(lab, "Degraded")).isEqualTo("True/VmsBlocked");
        assertThat(c.dr.cluster.get(KubeKind.VM, "lab-dr", "db-02")).isEmpty();
    }

    @Test
    void aSuspendedConfigSyncRunsNothingAndAMissingSecretIsItsStatusNotACrash() {
        c.backup();
        ObjectNode suspended = c.configSync("suspended");
        ((ObjectNode) suspended.get("spec")).put("suspend", true);
        c.dr.cluster.update(KubeKind.CONFIG_SYNC, suspended);
        ObjectNode broken = c.configSync("broken");
        ((ObjectNode) broken.at("/spec/verifyKeySecretRef")).put("name", "nope");
        c.dr.cluster.update(KubeKind.CONFIG_SYNC, broken);
        Cli.Result r = sync("--config-sync", "vmconfig-system/suspended", "--config-sync", "vmconfig-system/broken");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(c.dr.cluster.list(KubeKind.VM, null, null)).isEmpty();
        assertThat(condition(status("suspended"), "Ready"))
                .as(r.out() + r.err() + c.dr.cluster.get(KubeKind.CONFIG_SYNC, "vmconfig-system", "suspended"))
                .isEqualTo("False/Suspended");
        assertThat(condition(status("broken"), "Ready")).isEqualTo("False/PassFailedConfig");
        assertThat(status("broken").path("conditions").toString()).contains("Secret vmconfig-system/nope");
    }

    @Test
    void planAndSyncNameAVolumeMapByReference() {
        c.backup();
        c.configSync("dr");
        String[] args = TestRepository.args(
                "plan",
                TestRepository.verifier(c.repo, c.keys),
                "--map-ref",
                "vmconfig-system/dr",
                "-o",
                "json",
                c.dr.contextArgs());
        Cli.Result plan = Cli.run(args);
        assertThat(plan.code()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("\"target\" : \"lab-dr/db-02\"");
        args[8] = "vmconfig-system/missing";
        assertThat(Cli.run(args).err()).contains("VolumeMap vmconfig-system/missing is not on");
    }

    /** A controller on an hourly interval running every ConfigSync of vmconfig-system, as the Deployment does. */
    private ControllerLoop controllerLoop() throws Exception {
        return ControllerLoop.start(TestRepository.args(
                "--all-config-syncs",
                "--no-leader-elect",
                "--state-namespace",
                "vmconfig-system",
                "--interval",
                "1h",
                "--port",
                "0",
                "--log-format",
                "json",
                c.dr.contextArgs()));
    }

    private static String passes(int n) {
        return "vmconfig_sync_passes_total{result=\"success\"} " + n + ".0";
    }

    /**
     * Writes {@code edit} of {@code kind} vmconfig-system/{@code name}; the test kit's API server raises its
     * metadata.generation as a real one does on a change of anything but metadata and status.
     */
    private void edit(KubeKind kind, String name, java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode o = c.dr.cluster.get(kind, "vmconfig-system", name).orElseThrow();
        edit.accept(o);
        c.dr.cluster.update(kind, o);
    }

    /**
     * VMs the last pass of ConfigSync vmconfig-system/dr left blocked: none with the example map (failover mode);
     * every VM (3) once the map says copy, as a copy never attaches an existing DR claim a rule names (FOREIGN_CLAIM).
     */
    private int blocked() {
        return status("dr").path("blockedCount").asInt(-1);
    }

    @Test
    void aControllerOnAnHourlyIntervalRunsAConfigSyncWhoseSpecChangedWithoutWaitingForTheInterval() throws Exception {
        c.backup();
        c.configSync("dr", "prod-apps");
        try (ControllerLoop r = controllerLoop()) {
            ControllerLoop.await(() -> r.metrics().contains(passes(1)));
            assertThat(r.metrics()).as(r.err().toString()).contains(passes(1));
            assertThat(c.dr.cluster.get(KubeKind.VM, "prod-apps", "web-01")).isPresent();
            assertThat(c.dr.cluster.get(KubeKind.VM, "lab-dr", "db-02"))
                    .as("lab is not its namespace")
                    .isEmpty();

            edit(
                    KubeKind.CONFIG_SYNC,
                    "dr",
                    cs -> ((ObjectNode) cs.get("spec")).withArray("namespaces").add("lab"));
            ControllerLoop.await(() -> r.metrics().contains(passes(2)));
            // the second pass was the watch's doing (the interval is an hour), with the new spec
            assertThat(r.metrics()).as(r.err().toString()).contains(passes(2));
            assertThat(c.dr.cluster.get(KubeKind.VM, "lab-dr", "db-02")).isPresent();
            assertThat(status("dr").path("observedGeneration").asLong()).isEqualTo(2);
            assertThat(r.err().toString()).contains("\"change\":\"SPEC_CHANGED ConfigSync vmconfig-system/dr\"");
        }
    }

    /** ConfigSync vmconfig-system/dr over a fresh backup, and a controller that has run its first pass. */
    private ControllerLoop afterTheFirstPass() throws Exception {
        c.backup();
        c.configSync("dr");
        ControllerLoop r = controllerLoop();
        ControllerLoop.await(() -> r.metrics().contains(passes(1)));
        assertThat(r.metrics()).as(r.err().toString()).contains(passes(1));
        assertThat(blocked()).isZero();
        return r;
    }

    @Test
    void aControllerOnAnHourlyIntervalRunsAConfigSyncWhoseVolumeMapChangedWithTheNewMap() throws Exception {
        try (ControllerLoop r = afterTheFirstPass()) {
            assertThat(status("dr").at("/volumeMap/name").asText()).isEqualTo("dr");

            edit(KubeKind.VOLUME_MAP, "dr", map -> map.put("mode", "copy"));
            ControllerLoop.await(() -> blocked() > 0);
            assertThat(blocked())
                    .as("the next pass used the new map (copy mode); " + r.err())
                    .isEqualTo(3);
            assertThat(status("dr").at("/blockedVMs/0/codes").toString()).contains("FOREIGN_CLAIM");
            assertThat(r.err().toString()).contains("\"change\":\"SPEC_CHANGED VolumeMap vmconfig-system/dr\"");
        }
    }

    /**
     * The map each ConfigSync used is in its status, not only in the controller's memory: a map changed while no
     * controller ran is acted on as soon as one starts, not at the ConfigSync's next interval (an hour here).
     */
    @Test
    void aVolumeMapChangedWhileTheControllerWasDownIsUsedAsSoonAsItStarts() throws Exception {
        try (ControllerLoop r = afterTheFirstPass()) {
            assertThat(status("dr").at("/volumeMap/name").asText())
                    .as(r.err().toString())
                    .isEqualTo("dr");
        }
        long recorded = status("dr").at("/volumeMap/generation").asLong(-1);
        assertThat(recorded).isGreaterThanOrEqualTo(0);

        edit(KubeKind.VOLUME_MAP, "dr", map -> map.put("mode", "copy"));
        try (ControllerLoop r = controllerLoop()) {
            ControllerLoop.await(() -> blocked() > 0);
            assertThat(blocked())
                    .as("a pass ran at start with the new map; " + r.err())
                    .isEqualTo(3);
            assertThat(status("dr").at("/volumeMap/generation").asLong()).isEqualTo(recorded + 1);
        }
        // and a restart with the map unchanged is no change: the ConfigSync waits for its interval
        String lastPass = status("dr").path("lastPassTime").asText();
        try (ControllerLoop r = controllerLoop()) {
            ControllerLoop.await(() -> r.metrics().contains(passes(1)));
            assertThat(r.metrics()).as(r.err().toString()).contains(passes(1));
            assertThat(status("dr").path("lastPassTime").asText()).isEqualTo(lastPass);
        }
    }
}
