package io.vmconfig.adapters.goplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoPluginHostingTest {
    @Test
    void handshakeLineHasNoSpacesGrpcAndAnEmptyCertField() {
        HandshakeEnv env = HandshakeEnv.from(
                Map.of("PLUGIN_PROTOCOL_VERSIONS", "1, 2", "PLUGIN_MIN_PORT", "10000", "PLUGIN_MAX_PORT", "10005"));
        assertThat(env.line(10003)).isEqualTo("1|2|tcp|127.0.0.1:10003|grpc|");
        assertThat(env.minPort()).isEqualTo(10000);
        assertThat(env.maxPort()).isEqualTo(10005);
        assertThat(HandshakeEnv.from(Map.of()).minPort()).isEqualTo(10000);
    }

    @Test
    void refusesHostsWithoutVersionTwoAndBadPorts() {
        assertThatThrownBy(() -> HandshakeEnv.from(Map.of("PLUGIN_PROTOCOL_VERSIONS", "1,3")))
                .hasMessageContaining("1,3");
        assertThatThrownBy(() -> HandshakeEnv.from(Map.of("PLUGIN_MIN_PORT", "x")))
                .hasMessageContaining("PLUGIN_MIN_PORT");
        assertThatThrownBy(() -> HandshakeEnv.from(Map.of("PLUGIN_MIN_PORT", "300", "PLUGIN_MAX_PORT", "200")))
                .hasMessageContaining("above");
        assertThat(HandshakeEnv.launchedByHost(Map.of("VELERO_PLUGIN", "hello")))
                .isTrue();
        assertThat(HandshakeEnv.launchedByHost(Map.of("VELERO_PLUGIN", "hi"))).isFalse();
    }

    @Test
    void logLevelComesFromVelerosFlagInEitherForm() {
        assertThat(ServerArgs.logLevel(new String[] {"--features=", "--log-level", "debug"}))
                .isEqualTo(LogLevel.DEBUG);
        assertThat(ServerArgs.logLevel(new String[] {"--log-level=warning", "--uploader-type=kopia"}))
                .isEqualTo(LogLevel.WARN);
        assertThat(ServerArgs.logLevel(new String[] {"--uploader-type", "kopia"}))
                .isEqualTo(LogLevel.INFO);
        assertThat(LogLevel.WARN.wire()).isEqualTo("warn");
    }

    @Test
    void logLinesAreJsonWithStringFieldsAndMicrosecondTimestamps() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00.123Z"), ZoneOffset.UTC);
        JsonLogger log = new JsonLogger(new PrintStream(buf, true, StandardCharsets.UTF_8), LogLevel.INFO, clock);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("backup", "nightly");
        fields.put("name", "we\"b\n01");
        fields.put("@level", "spoofed");
        log.info("config-only item", fields);
        log.debug("hidden", Map.of());
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1);
        JsonNode n = new ObjectMapper().readTree(lines[0]);
        assertThat(n.get("@level").asText()).isEqualTo("info");
        assertThat(n.get("@message").asText()).isEqualTo("config-only item");
        assertThat(n.get("@timestamp").asText()).isEqualTo("2026-11-26T10:00:00.123000Z");
        assertThat(n.get("backup").asText()).isEqualTo("nightly");
        assertThat(n.get("name").asText()).isEqualTo("we\"b\n01");
    }
}
