package io.vmconfig.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.vm.VmRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ConfigSync status decided from a pass: conditions and their transition times, RPO, counts, bounded lists. */
class ConfigSyncStatusTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant CAPTURED = Instant.parse("2025-12-31T22:30:00Z");

    static VmPlan plan(int i, SyncAction action, String... codes) {
        VmRef ref = new VmRef("apps", "vm-" + i);
        return new VmPlan(
                ref,
                ref,
                action,
                codes.length == 0 ? List.of() : List.of("because " + codes[0]),
                List.of(),
                List.of(),
                Optional.empty(),
                List.of(codes));
    }

    static String condition(JsonNode s, String type) {
        for (JsonNode c : s.path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c.path("status").asText() + "/" + c.path("reason").asText() + "@"
                        + c.path("lastTransitionTime").asText();
            }
        }
        return "absent";
    }

    @Test
    void aCleanPassIsInSyncWithItsSetCaptureTimeRpoAndCounts() {
        ObjectNode s = ConfigSyncStatus.after(
                null,
                3,
                T0,
                new ConfigSyncStatus.Pass(
                        "set-1",
                        CAPTURED,
                        List.of(
                                plan(1, SyncAction.CREATE),
                                plan(2, SyncAction.UNCHANGED),
                                plan(3, SyncAction.SKIPPED, "VM_ACTIVATED"),
                                plan(4, SyncAction.SKIPPED, "RUNNING")),
                        0,
                        false));
        assertThat(s.path("lastAppliedSet").asText()).isEqualTo("set-1");
        assertThat(s.path("lastAppliedSetCapturedAt").asText()).isEqualTo(CAPTURED.toString());
        assertThat(s.path("configRPOSeconds").asLong()).isEqualTo(5400);
        assertThat(s.path("configRPO").asText()).isEqualTo("1h30m");
        assertThat(s.path("inSync").asBoolean()).isTrue();
        assertThat(s.path("activeCount").asInt()).isEqualTo(1);
        assertThat(s.path("counts").path("created").asInt()).isEqualTo(1);
        assertThat(s.path("counts").path("skipped").asInt()).isEqualTo(2);
        assertThat(s.path("observedGeneration").asLong()).isEqualTo(3);
        assertThat(condition(s, "Ready")).startsWith("True/PassSucceeded");
        assertThat(condition(s, "Synced")).isEqualTo("True/InSync@" + T0);
        assertThat(condition(s, "Degraded")).startsWith("False/AsExpected");
    }

    @Test
    void blockedVmsAreListedUpToTwentyAndCountedAllAndTransitionTimesMoveOnlyOnChange() {
        ObjectNode clean = ConfigSyncStatus.after(
                null,
                1,
                T0,
                new ConfigSyncStatus.Pass("set-1", CAPTURED, List.of(plan(0, SyncAction.CREATE)), 0, false));
        List<VmPlan> plans = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            plans.add(plan(i, SyncAction.BLOCKED, "PVC_MISSING"));
        }
        Instant t1 = T0.plusSeconds(300);
        ObjectNode blocked = ConfigSyncStatus.after(
                clean, 1, t1, new ConfigSyncStatus.Pass("set-2", CAPTURED.plusSeconds(3600), plans, 0, false));
        assertThat(blocked.path("blockedCount").asInt()).isEqualTo(25);
        assertThat(blocked.path("blockedVMs")).hasSize(ConfigSyncStatus.MAX_BLOCKED);
        assertThat(blocked.at("/blockedVMs/0/codes/0").asText()).isEqualTo("PVC_MISSING");
        assertThat(blocked.path("inSync").asBoolean()).isFalse();
        assertThat(condition(blocked, "Synced")).isEqualTo("False/VmsBlocked@" + t1);
        assertThat(condition(blocked, "Degraded")).isEqualTo("True/VmsBlocked@" + t1);
        assertThat(condition(blocked, "Ready"))
                .as("still ready: it did not change")
                .isEqualTo("True/PassSucceeded@" + T0);

        ObjectNode failed = ConfigSyncStatus.after(
                blocked,
                1,
                t1.plusSeconds(60),
                new ConfigSyncStatus.Pass(
                        "set-3", CAPTURED.plusSeconds(7200), List.of(plan(0, SyncAction.UPDATE)), 1, false));
        assertThat(failed.path("lastAppliedSet").asText())
                .as("a pass that did not apply keeps the last applied set")
                .isEqualTo("set-2");
        assertThat(condition(failed, "Synced")).isEqualTo("False/ApplyFailed@" + t1);
    }

    @Test
    void aPassThatCouldNotRunOrASuspendedOneKeepsTheFiguresAndSaysWhy() {
        ObjectNode clean = ConfigSyncStatus.after(
                null,
                1,
                T0,
                new ConfigSyncStatus.Pass("set-1", CAPTURED, List.of(plan(0, SyncAction.CREATE)), 0, false));
        Instant later = T0.plusSeconds(3600);
        ObjectNode failed = ConfigSyncStatus.failed(clean, 2, later, "TRANSIENT", "bucket unreachable");
        assertThat(failed.path("lastAppliedSet").asText()).isEqualTo("set-1");
        assertThat(failed.path("configRPOSeconds").asLong())
                .as("the RPO grows while nothing applies")
                .isEqualTo(9000);
        assertThat(condition(failed, "Ready")).isEqualTo("False/PassFailedTransient@" + later);
        assertThat(condition(failed, "Degraded")).startsWith("True/PassFailedTransient");
        ObjectNode suspended = ConfigSyncStatus.suspended(failed, 3, later.plusSeconds(1));
        assertThat(condition(suspended, "Ready")).startsWith("False/Suspended");
        assertThat(suspended.path("counts").path("created").asInt()).isEqualTo(1);
    }
}
