package io.vmconfig.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.testing.Fixtures;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumeMapTest {
    static final String HEAD = "apiVersion: vmconfig.io/v1\nkind: VolumeMap\n";

    static VolumeMap map(String body) {
        return VolumeMap.parse(HEAD + body, "map.yaml");
    }

    @Test
    void readsTheIssueExample() {
        VolumeMap m = map("""
                mode: failover
                unmapped: fail
                namespaces: {prod-apps: prod-apps}
                claims:
                  prod-apps/web-01-rootdisk-k7wq2: dr-web-01-root
                rules:
                  - {regex: "^(.*)-rootdisk-.*$", replace: "dr-$1-root"}
                  - {prefix: "dr-"}
                storageClasses: {harvester-longhorn: replica-block}
                networks: {prod-apps/vlan10: dr-net/vlan10}
                """);
        assertThat(m.mode()).isEqualTo(RestoreMode.FAILOVER);
        assertThat(m.unmapped()).isEqualTo(UnmappedPolicy.FAIL);
        assertThat(m.claim("prod-apps", "web-01-rootdisk-k7wq2").map(VolumeMap.Mapped::name))
                .hasValue("dr-web-01-root");
        assertThat(m.claim("other", "web-01-rootdisk-k7wq2").map(VolumeMap.Mapped::name))
                .hasValue("dr-web-01-root");
        assertThat(m.claim("prod-apps", "db-rootdisk-abc").map(VolumeMap.Mapped::name))
                .hasValue("dr-db-root");
        assertThat(m.claim("prod-apps", "data").map(VolumeMap.Mapped::name)).hasValue("dr-data");
        assertThat(m.storageClass("harvester-longhorn")).isEqualTo("replica-block");
        assertThat(m.storageClass("other")).isEqualTo("other");
        assertThat(m.network("prod-apps/vlan10", "x")).isEqualTo("dr-net/vlan10");
        assertThat(m.network("vlan10", "prod-apps")).isEqualTo("dr-net/vlan10");
    }

    @Test
    void explicitPairsWinOverRulesAndRulesGoInOrder() {
        VolumeMap m = map("""
                claims: {ns/a: explicit}
                rules:
                  - {suffix: "-replica"}
                  - {prefix: "never-"}
                """);
        assertThat(m.claim("ns", "a"))
                .hasValueSatisfying(x -> assertThat(x.by()).isEqualTo("claims['ns/a']"));
        assertThat(m.claim("ns", "b")).hasValueSatisfying(x -> {
            assertThat(x.name()).isEqualTo("b-replica");
            assertThat(x.by()).startsWith("rules[0]");
        });
    }

    @Test
    void aRegexRuleThatDoesNotMatchFallsThrough() {
        VolumeMap m = map("rules:\n  - {regex: '^x-(.*)$', replace: 'y-$1'}\n");
        assertThat(m.claim("ns", "x-1").map(VolumeMap.Mapped::name)).hasValue("y-1");
        assertThat(m.claim("ns", "z-1")).isEmpty();
    }

    @Test
    void withoutRulesNothingIsMapped() {
        assertThat(map("").claim("ns", "a")).isEqualTo(Optional.empty());
        assertThat(map("").mode()).isEqualTo(RestoreMode.FAILOVER);
        assertThat(map("").unmapped()).isEqualTo(UnmappedPolicy.FAIL);
    }

    @Test
    void namespacesMapNetworksWithoutAnExplicitPair() {
        VolumeMap m = map("namespaces: {prod: dr}\n");
        assertThat(m.network("prod/nad", "prod")).isEqualTo("dr/nad");
        assertThat(m.network("nad", "prod")).isEqualTo("nad");
        assertThat(m.namespace("prod")).isEqualTo("dr");
        assertThat(m.namespace("other")).isEqualTo("other");
    }

    @Test
    void theExampleMapParses() {
        VolumeMap m = VolumeMap.parse(Fixtures.read(Fixtures.EXAMPLES.resolve("volume-map.yaml")), "example");
        assertThat(m.clusterNetworks()).containsEntry("prod-net", "dr-net");
    }

    @Test
    void unknownKeysAreRefusedByName() {
        assertThatThrownBy(() -> map("claimz: {}\nmodes: copy\n"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("map.yaml")
                .hasMessageContaining("[claimz, modes]")
                .satisfies(e -> assertThat(((VmConfigException) e).kind()).isEqualTo(VmConfigException.Kind.CONFIG));
    }

    @Test
    void invalidRegexIsRefusedByName() {
        assertThatThrownBy(() -> map("rules:\n  - {prefix: a}\n  - {regex: '^(.*', replace: x}\n"))
                .hasMessageContaining("rules[1]")
                .hasMessageContaining("invalid regex '^(.*'");
    }

    @Test
    void aReplacementThatNamesAMissingGroupIsRefused() {
        assertThatThrownBy(() -> map("rules:\n  - {regex: '^(.*)$', replace: 'dr-$2'}\n"))
                .hasMessageContaining("rules[0]")
                .hasMessageContaining("group $2");
        assertThatThrownBy(() -> map("rules:\n  - {regex: '^(.*)$', replace: 'dr-${x}'}\n"))
                .hasMessageContaining("unknown group ${x}");
    }

    @Test
    void badValuesAreRefusedByName() {
        assertThatThrownBy(() -> map("mode: sideways\n")).hasMessageContaining("mode 'sideways'");
        assertThatThrownBy(() -> map("unmapped: ignore\n")).hasMessageContaining("unmapped 'ignore'");
        assertThatThrownBy(() -> map("claims: {noslash: x}\n")).hasMessageContaining("claims key 'noslash'");
        assertThatThrownBy(() -> map("rules:\n  - {prefix: a, suffix: b}\n"))
                .hasMessageContaining("rules[0]")
                .hasMessageContaining("[prefix, suffix]");
        assertThatThrownBy(() -> map("storageClasses: {a: 1}\n"))
                .hasMessageContaining("storageClasses['a'] must be a non-empty string");
        assertThatThrownBy(() -> map("rules: {prefix: a}\n")).hasMessageContaining("rules must be a list");
        assertThatThrownBy(() -> VolumeMap.parse("kind: VolumeMap\n", "m"))
                .hasMessageContaining("apiVersion must be vmconfig.io/v1");
        assertThatThrownBy(() -> VolumeMap.parse("apiVersion: vmconfig.io/v1\nkind: Other\n", "m"))
                .hasMessageContaining("kind must be VolumeMap");
        assertThatThrownBy(() -> VolumeMap.parse("{{{", "m")).hasMessageContaining("not valid YAML");
    }

    @Test
    void aRuleThatProducesAnInvalidNameIsFlagged() {
        VolumeMap m = map("rules:\n  - {prefix: 'DR_'}\n");
        assertThat(m.claim("ns", "a"))
                .hasValueSatisfying(x -> assertThat(x.valid()).isFalse());
    }
}
