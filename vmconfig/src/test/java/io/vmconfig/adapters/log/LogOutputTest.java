package io.vmconfig.adapters.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogOutputTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    static List<String> lines(StringWriter w) {
        return w.toString().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void ownRecordsAreOneJsonObjectPerLineWithFieldsAndAOneLineError() {
        StringWriter w = new StringWriter();
        try (LogOutput out = LogOutput.install(new PrintWriter(w), LogOutput.Format.json, clock)) {
            LogOutput.log(
                    Logger.getLogger("io.vmconfig.sync"),
                    Level.WARNING,
                    "VM blocked",
                    Map.of("vm", "prod-apps/web-01", "pass", 7),
                    null);
            LogOutput.log(
                    Logger.getLogger("io.vmconfig.sync"),
                    Level.SEVERE,
                    "sync pass failed",
                    Map.of("pass", 8),
                    new VmConfigException(
                            VmConfigException.Kind.TRANSIENT,
                            "list VMs on dr: cluster unreachable",
                            new java.io.IOException("Connection refused\n\tat somewhere")));
        }
        List<String> lines = lines(w);
        assertThat(lines).hasSize(2);
        JsonNode first = Json.parse(lines.get(0), "line");
        assertThat(first.path("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(first.path("level").asText()).isEqualTo("warn");
        assertThat(first.path("message").asText()).isEqualTo("VM blocked");
        assertThat(first.path("vm").asText()).isEqualTo("prod-apps/web-01");
        assertThat(first.path("pass").asInt()).isEqualTo(7);
        JsonNode second = Json.parse(lines.get(1), "line");
        assertThat(second.path("level").asText()).isEqualTo("error");
        assertThat(second.path("errorKind").asText()).isEqualTo("TRANSIENT");
        assertThat(second.path("error").asText())
                .contains("cluster unreachable")
                .contains("Connection refused")
                .doesNotContain("\n");
    }

    @Test
    void textOnATerminalIsOneReadableLine() {
        StringWriter w = new StringWriter();
        try (LogOutput out = LogOutput.install(new PrintWriter(w), LogOutput.Format.text, clock)) {
            LogOutput.log(Logger.getLogger("io.vmconfig.sync"), Level.INFO, "VM create", Map.of("vm", "a/b"), null);
        }
        assertThat(lines(w)).containsExactly("2026-01-01T00:00:00Z info  VM create vm=a/b");
    }

    @Test
    void libraryNoiseIsRoutedThroughTheSameFormatAndRateLimitedPerLogger() {
        StringWriter w = new StringWriter();
        Logger fabric8 = Logger.getLogger("io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector");
        try (LogOutput out = LogOutput.install(new PrintWriter(w), LogOutput.Format.json, clock)) {
            for (int i = 0; i < 100; i++) {
                fabric8.log(
                        Level.SEVERE,
                        "Exception occurred while renewing lock",
                        new RuntimeException("HTTP -1 IOException"));
                clock.advance(Duration.ofMillis(100)); // 10 s
            }
            clock.advance(LogOutput.WINDOW);
            fabric8.log(Level.SEVERE, "again");
        }
        List<JsonNode> lines = lines(w).stream().map(l -> Json.parse(l, "line")).toList();
        assertThat(lines.stream().filter(l -> l.path("message").asText().startsWith("Exception occurred")))
                .hasSize(LogOutput.BURST);
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("message").asText()).isEqualTo("suppressed 95 similar log lines");
            assertThat(l.path("logger").asText()).isEqualTo(fabric8.getName());
        });
        assertThat(lines.get(lines.size() - 1).path("message").asText()).isEqualTo("again");
        assertThat(w.toString()).doesNotContain("\tat ");
    }
}
