package io.vmconfig.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlRoundTripTest {
    @Test
    void stringsThatLookLikeOtherTypesStayStrings() {
        ObjectNode o = Json.object();
        for (String s : List.of(
                "true",
                "yes",
                "no",
                "on",
                "off",
                "null",
                "~",
                "1.0",
                "0x1F",
                "2026-05-04",
                "1e3",
                "",
                " lead",
                "a: b",
                "- x",
                "#c",
                "052:54:00",
                "52:54:00:4b:1c:7e",
                "52:54:00:12:34:56",
                "+1",
                ".5",
                ".inf",
                "1_000",
                "0o17",
                "0b101",
                "{\"a\":1}",
                "multi\nline\n")) {
            o.put("k" + o.size(), s);
        }
        o.put("n", 7).put("b", true).putNull("z");
        JsonNode back = Yaml.parseAll(Yaml.write(o), "t").get(0);
        assertThat(back).isEqualTo(o);
    }

    @Test
    void multiDocumentStreamsKeepEveryDocumentAndRootListsStayLists() {
        List<JsonNode> docs = Yaml.parseAll("a: 1\n---\n---\n- x\n- y\n", "t");
        assertThat(docs).hasSize(2);
        assertThat(docs.get(1).isArray()).isTrue();
    }

    @Test
    void aliasesAreRefusedInsteadOfReadAsTheirNames() {
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 60; i++) {
            sb.append("a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [*a")
                    .append(i - 1)
                    .append(", *a")
                    .append(i - 1)
                    .append("]\n");
        }
        assertThatThrownBy(() -> Yaml.parseAll(sb.toString(), "bomb.yaml"))
                .hasMessageContaining("bomb.yaml")
                .hasMessageContaining("aliases");
    }
}
