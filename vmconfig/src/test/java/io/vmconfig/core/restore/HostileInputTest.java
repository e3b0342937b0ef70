package io.vmconfig.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Printable;
import io.vmconfig.core.json.Yaml;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Careless or hostile VolumeMaps and documents (issue 10, item 5): refused by name, in bounded time. */
class HostileInputTest {
    static final String HEAD = "apiVersion: vmconfig.io/v1\nkind: VolumeMap\n";

    @Test
    void aDuplicateKeyInAVolumeMapIsAnErrorNamingKeyAndLine() {
        assertThatThrownBy(() -> VolumeMap.parse(HEAD + "unmapped: fail\nunmapped: create-empty\n", "m.yaml"))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG))
                .hasMessageContaining("m.yaml")
                .hasMessageContaining("Duplicate field 'unmapped'")
                .hasMessageContaining("line 4");
    }

    @Test
    void aDuplicateKeyInAVmIsAnErrorNamingKeyAndLine() {
        assertThatThrownBy(() -> Yaml.parseAll("kind: VirtualMachine\nmetadata:\n  name: a\n  name: b\n", "vm.yaml"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("vm.yaml")
                .hasMessageContaining("Duplicate field 'name'")
                .hasMessageContaining("line 4");
        assertThatThrownBy(() -> Yaml.parseAll("{\"kind\":\"VirtualMachine\",\"kind\":\"Pod\"}", "vm.json"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("Duplicate field 'kind'");
    }

    @Test
    void aSecondDocumentInAVolumeMapIsAnError() {
        assertThatThrownBy(() -> VolumeMap.parse(HEAD + "---\n" + HEAD + "unmapped: create-empty\n", "m.yaml"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("m.yaml")
                .hasMessageContaining("2 YAML documents");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a/b",
                "Bad_NS!",
                "..",
                "-x",
                "UPPER",
                "a-very-long-namespace-name-that-is-longer-than-sixty-three-chars-x"
            })
    void namespaceTargetsAreDnsLabels(String bad) {
        assertThatThrownBy(() -> VolumeMap.parse(HEAD + "namespaces: {prod: \"" + bad + "\"}\n", "m.yaml"))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.CONFIG))
                .hasMessageContaining("m.yaml")
                .hasMessageContaining("namespaces['prod']");
        assertThatThrownBy(() -> VolumeMap.parse(HEAD + "namespaces: {\"" + bad + "\": prod}\n", "m.yaml"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("namespaces key");
    }

    @Test
    void claimAndNetworkTargetsAreValidNames() {
        assertThatThrownBy(() -> VolumeMap.parse(HEAD + "claims: {ns/a: \"Bad Name\"}\n", "m.yaml"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("claims['ns/a']");
        assertThatThrownBy(() -> VolumeMap.parse(HEAD + "networks: {ns/a: \"Bad_NS/x\"}\n", "m.yaml"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("networks['ns/a']");
    }

    @Test
    void aBacktrackingRegexIsStoppedByItsBudgetNamingTheRule() {
        VolumeMap map = VolumeMap.parse(HEAD + "rules:\n  - {regex: \"(.*a){12}-root$\", replace: x}\n", "m.yaml");
        String claim = "a".repeat(56) + "-x"; // 58 characters: the case ran past 60 s
        assertThatThrownBy(() -> map.claim("ns", claim))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("rules[0]")
                .hasMessageContaining("takes too long");
    }

    @Test
    void aSaneRegexStaysWellWithinTheBudget() {
        VolumeMap map =
                VolumeMap.parse(HEAD + "rules:\n  - {regex: \"^(.*)-datadisk-.*$\", replace: \"dr-$1\"}\n", "m.yaml");
        assertThat(map.claim("ns", "x".repeat(240) + "-datadisk-abc").map(VolumeMap.Mapped::name))
                .contains("dr-" + "x".repeat(240));
    }

    @Test
    void aYamlLineLongerThanTheBoundIsRefusedBeforeParsing() {
        String text = "kind: VirtualMachine\nx: " + "y".repeat(Yaml.MAX_LINE_LENGTH) + "\n";
        assertThatThrownBy(() -> Yaml.parseAll(text, "big.yaml"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("big.yaml: line 2");
    }

    @Test
    void theSameValueAsJsonIsParsed() {
        String big = "y".repeat(Yaml.MAX_LINE_LENGTH + 10);
        assertThat(Yaml.parseAll("{\"kind\":\"VirtualMachine\",\"x\":\"" + big + "\"}", "big.json")
                        .get(0)
                        .path("x")
                        .asText())
                .hasSize(big.length());
    }

    @Test
    void controlCharactersAreEscapedForPrinting() {
        assertThat(Printable.escape("vm\u001b[31mred\n\u202e")).isEqualTo("vm\\u001b[31mred\\n\\u202e");
        assertThat(Printable.escape("plain")).isEqualTo("plain");
        assertThat(Json.MAX_DOCUMENT_LENGTH).isEqualTo(64L << 20);
        assertThat(Optional.of(Printable.escape("a\tb"))).contains("a\\tb");
    }
}
