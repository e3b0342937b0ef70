package io.vmconfig.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.Golden;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link VolumeMap#invert()}: the failback map, only for maps that are one-to-one. */
class VolumeMapInversionTest {
    static final String ONE_TO_ONE = VolumeMapTest.HEAD + """
            mode: failover
            unmapped: fail
            namespaces: {prod-apps: dr-apps, lab: lab-dr}
            claims:
              prod-apps/web-01-rootdisk-k7wq2: dr-web-01-root
              prod-apps/web-01-data: dr-web-01-data
              lab/db-root: db-root-replica
            rules:
              - {prefix: ""}
            storageClasses: {harvester-longhorn: replica-block}
            networks: {prod-apps/vlan-210: dr-apps/dr-vlan-210}
            clusterNetworks: {prod-net: dr-net}
            """;

    @Test
    void invertsAOneToOneMapPairByPairIntoTheGoldenFile() {
        VolumeMap inverted = VolumeMap.parse(ONE_TO_ONE, "map.yaml").invert("map.yaml");
        Golden.assertMatches("volume-map.inverted.yaml", Yaml.write(inverted.toTree()));
        // claims are keyed by the DR namespace (the mapped one) and name the production claim
        assertThat(inverted.claim("dr-apps", "dr-web-01-root").map(VolumeMap.Mapped::name))
                .hasValue("web-01-rootdisk-k7wq2");
        assertThat(inverted.namespace("dr-apps")).isEqualTo("prod-apps");
        assertThat(inverted.storageClass("replica-block")).isEqualTo("harvester-longhorn");
        assertThat(inverted.network("dr-apps/dr-vlan-210", "x")).isEqualTo("prod-apps/vlan-210");
        assertThat(inverted.clusterNetwork("dr-net")).isEqualTo("prod-net");
    }

    @Test
    void theWrittenInverseReadsBackAsTheSameMap() {
        VolumeMap inverted = VolumeMap.parse(ONE_TO_ONE, "map.yaml").invert();
        assertThat(VolumeMap.parse(Yaml.write(inverted.toTree()), "inverted.yaml"))
                .isEqualTo(inverted);
    }

    @Test
    void refusesTheExampleMapNamingEveryRuleAndManyToOnePair() {
        VolumeMap example = VolumeMap.parse(
                Fixtures.read(Fixtures.EXAMPLES.resolve("volume-map.yaml")), "examples/volume-map.yaml");
        assertThatThrownBy(() -> example.invert("examples/volume-map.yaml"))
                .isInstanceOf(VmConfigException.class)
                .satisfies(e -> assertThat(((VmConfigException) e).kind()).isEqualTo(VmConfigException.Kind.CONFIG))
                .hasMessageStartingWith("examples/volume-map.yaml: VolumeMap cannot be inverted, it is not one-to-one")
                .hasMessageContaining("rules[0] (regex '^(.*)-datadisk-.*$' -> 'dr-$1-data') is a name rule")
                .hasMessageContaining("rules[1] (prefix 'dr-') is a name rule")
                .hasMessageContaining(
                        "storageClasses: 'ceph-block' and 'harvester-longhorn' both map onto" + " 'replica-block'")
                .hasMessageContaining("'longhorn-image-r4n8d' both map onto 'replica-block'");
    }

    @Test
    void refusesTwoClaimsOntoOneAndAnUnmappedNamespaceThatAnotherIsMappedOnto() {
        VolumeMap twoClaims = VolumeMapTest.map("""
                namespaces: {a: c, b: c}
                claims: {a/x: y, b/z: y}
                """);
        assertThatThrownBy(twoClaims::invert)
                .hasMessageContaining("namespaces: 'a' and 'b' both map onto 'c'")
                .hasMessageContaining("claims: 'a/x' and 'b/z' both map onto c/y");
        VolumeMap implicit = VolumeMapTest.map("""
                namespaces: {a: b}
                claims: {b/x: y}
                """);
        assertThatThrownBy(implicit::invert)
                .hasMessageContaining(
                        "'b/x' lives in namespace 'b', which is not mapped (stays 'b') while namespaces maps another"
                                + " namespace onto 'b' too");
    }

    /** Seeded: a failing seed is printed and replays with the same numbers. */
    @Test
    void invertingTwiceGivesTheMapBackAndTheInverseUndoesEveryClaimMapping() {
        long seed = Long.getLong("seed", 20261204L);
        Random rnd = new Random(seed);
        for (int round = 0; round < 300; round++) {
            VolumeMap m = oneToOne(rnd);
            VolumeMap inverse = m.invert();
            assertThat(inverse.invert())
                    .as("seed %d round %d: %s", seed, round, m)
                    .isEqualTo(m);
            for (Map.Entry<String, String> c : m.claims().entrySet()) {
                String ns = c.getKey().substring(0, c.getKey().indexOf('/'));
                String drNs = m.namespace(ns);
                assertThat(inverse.namespace(drNs))
                        .as("seed %d round %d", seed, round)
                        .isEqualTo(ns);
                assertThat(inverse.claim(drNs, c.getValue()).map(VolumeMap.Mapped::name))
                        .as("seed %d round %d", seed, round)
                        .hasValue(c.getKey().substring(ns.length() + 1));
            }
        }
    }

    /** A random one-to-one map: distinct targets, every namespace used by a claim or network mapped. */
    private static VolumeMap oneToOne(Random rnd) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add("n" + i);
        }
        java.util.Collections.shuffle(names, rnd);
        int nsCount = 1 + rnd.nextInt(4);
        Map<String, String> namespaces = new HashMap<>();
        for (int i = 0; i < nsCount; i++) {
            namespaces.put("src-" + i, "dr-" + names.get(i)); // a permutation: distinct targets
        }
        List<String> srcNs = List.copyOf(namespaces.keySet());
        Map<String, String> claims = new HashMap<>();
        int claimCount = rnd.nextInt(6);
        for (int i = 0; i < claimCount; i++) {
            claims.put(srcNs.get(rnd.nextInt(srcNs.size())) + "/claim-" + i, "replica-" + names.get(10 + i));
        }
        return new VolumeMap(
                rnd.nextBoolean() ? RestoreMode.FAILOVER : RestoreMode.COPY,
                rnd.nextBoolean() ? UnmappedPolicy.FAIL : UnmappedPolicy.CREATE_EMPTY,
                namespaces,
                claims,
                rnd.nextBoolean() ? List.of(new ClaimRule.Prefix("", 0)) : List.of(),
                pairs(rnd, "sc-", "dr-sc-", names, 20),
                pairs(rnd, "src-0/nad-", "dr-x/nad-", names, 25),
                pairs(rnd, "cn-", "dr-cn-", names, 30));
    }

    private static Map<String, String> pairs(Random rnd, String from, String to, List<String> names, int offset) {
        Map<String, String> out = new HashMap<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            out.put(from + i, to + names.get(offset + i));
        }
        return out;
    }
}
