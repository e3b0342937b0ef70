package io.vmconfig.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/crds: both CRDs are structural, every VolumeMap file of the project is an appliable VolumeMap object, and
 * the strict API server (which applies the CRD schemas it holds, as a real one with strict field validation does)
 * refuses a bad ConfigSync, its status included, naming the field.
 */
class CrdSchemaTest {
    static final Path CRDS = Fixtures.ROOT.resolve("deploy/crds");

    @TempDir
    Path tmp;

    static List<ObjectNode> crds() {
        return KubeObjectReader.read(CRDS).stream()
                .map(o -> (ObjectNode) o.object())
                .filter(o -> o.path("kind").asText().equals("CustomResourceDefinition"))
                .toList();
    }

    /**
     * Each of {@code bad} (what the schema says, and the change to a good object that makes it say so) is refused with
     * 422 naming the field, and none is stored: the one good object made before stays the only one.
     */
    static void eachRejected(
            EmbeddedKube k,
            KubeKind kind,
            java.util.function.Function<String, ObjectNode> make,
            Map<String, java.util.function.Consumer<ObjectNode>> bad) {
        int i = 0;
        for (var e : bad.entrySet()) {
            ObjectNode c = make.apply("bad-" + i++);
            e.getValue().accept(c);
            assertThatThrownBy(() -> k.cluster.create(kind, c))
                    .as(e.getKey())
                    .isInstanceOf(VmConfigException.class)
                    .hasMessageContaining("422")
                    .rootCause()
                    .hasMessageContaining(e.getKey());
        }
        assertThat(k.cluster.list(kind, "vmconfig-system", null)).hasSize(1);
    }

    static EmbeddedKube withCrds(Path dir) {
        EmbeddedKube k = EmbeddedKube.start("crds", dir);
        crds().forEach(c -> k.create(KubeKind.CRD, c));
        k.create(KubeKind.NAMESPACE, (ObjectNode) Json.parse(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"," + "\"metadata\":{\"name\":\"vmconfig-system\"}}",
                "ns"));
        return k;
    }

    @Test
    void bothCrdsAreStructuralWithPrinterColumnsAndConfigSyncHasAStatusSubresource() {
        List<ObjectNode> crds = crds();
        assertThat(crds)
                .extracting(c -> c.at("/metadata/name").asText())
                .containsExactlyInAnyOrder(
                        "volumemaps.vmconfig.io",
                        "configsyncs.vmconfig.io",
                        "configrestores.vmconfig.io",
                        "repositorygrants.vmconfig.io");
        for (ObjectNode crd : crds) {
            for (JsonNode v : crd.at("/spec/versions")) {
                List<String> untyped = new ArrayList<>();
                structural(v.at("/schema/openAPIV3Schema"), "", untyped);
                assertThat(untyped).as(crd.at("/metadata/name").asText()).isEmpty();
                assertThat(v.path("additionalPrinterColumns")).isNotEmpty();
            }
        }
        ObjectNode cs = crds.stream()
                .filter(c -> c.at("/spec/names/kind").asText().equals("ConfigSync"))
                .findFirst()
                .orElseThrow();
        assertThat(cs.at("/spec/versions/0/subresources/status").isObject()).isTrue();
        List<String> columns = new ArrayList<>();
        cs.at("/spec/versions/0/additionalPrinterColumns")
                .forEach(c -> columns.add(c.path("name").asText()));
        assertThat(columns).contains("Set", "RPO", "In-Sync", "Blocked", "Active");
        ObjectNode cr = crds.stream()
                .filter(c -> c.at("/spec/names/kind").asText().equals("ConfigRestore"))
                .findFirst()
                .orElseThrow();
        assertThat(cr.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(cr.at("/spec/versions/0/subresources/status").isObject()).isTrue();
        assertThat(crds.stream()
                        .filter(c -> c.at("/spec/names/kind").asText().equals("RepositoryGrant"))
                        .findFirst()
                        .orElseThrow()
                        .at("/spec/scope")
                        .asText())
                .as("the allow-list is the cluster admin's")
                .isEqualTo("Cluster");
    }

    /** Every schema node has a type (or keeps unknown fields on purpose): what "structural" asks. */
    private static void structural(JsonNode s, String path, List<String> untyped) {
        if (!s.has("type")
                && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                && !s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            untyped.add(path.isEmpty() ? "/" : path);
        }
        s.path("properties").fields().forEachRemaining(e -> structural(e.getValue(), path + "." + e.getKey(), untyped));
        if (s.path("items").isObject()) {
            structural(s.path("items"), path + "[]", untyped);
        }
        if (s.path("additionalProperties").isObject()) {
            structural(s.path("additionalProperties"), path + ".*", untyped);
        }
    }

    @Test
    void everyVolumeMapFileIsAnAppliableObjectTheParserStillReads() throws IOException {
        List<Path> maps = new ArrayList<>(List.of(
                Fixtures.EXAMPLES.resolve("volume-map.yaml"), Fixtures.ROOT.resolve("deploy/dr/volume-map.yaml")));
        try (EmbeddedKube k = withCrds(tmp)) {
            for (Path file : maps) {
                String text = Files.readString(file);
                VolumeMap.parse(text, file.toString());
                ObjectNode map =
                        (ObjectNode) Yaml.parseAll(text, file.toString()).get(0);
                assertThat(map.at("/metadata/name").asText())
                        .as(file.toString())
                        .isNotEmpty();
                ((ObjectNode) map.get("metadata")).put("namespace", "vmconfig-system");
                k.create(KubeKind.VOLUME_MAP, map);
                ObjectNode stored = k.cluster
                        .get(
                                KubeKind.VOLUME_MAP,
                                "vmconfig-system",
                                map.at("/metadata/name").asText())
                        .orElseThrow();
                VolumeMap.parse(stored, "VolumeMap " + map.at("/metadata/name").asText());
            }
            ObjectNode bad = (ObjectNode)
                    Yaml.parseAll(Files.readString(maps.get(0)), "map").get(0);
            ((ObjectNode) bad.get("metadata"))
                    .put("namespace", "vmconfig-system")
                    .put("name", "bad");
            bad.put("mode", "mirror");
            assertThatThrownBy(() -> k.cluster.create(KubeKind.VOLUME_MAP, bad))
                    .isInstanceOf(VmConfigException.class)
                    .rootCause()
                    .hasMessageContaining("SCHEMA_INVALID_VALUE at mode");
        }
    }

    static ObjectNode configRestore(String name) {
        return (ObjectNode) Yaml.parseAll("""
                apiVersion: vmconfig.io/v1
                kind: ConfigRestore
                metadata: {name: %s, namespace: vmconfig-system}
                spec:
                  repository:
                    url: s3://bucket/vmconfig?endpoint=https://s3.example
                    credentialsSecretRef: {name: creds}
                  set: latest
                  sourceNamespace: lab
                  vms:
                    names: [db-02]
                    selector:
                      matchLabels: {app: db}
                      matchExpressions: [{key: tier, operator: In, values: [data]}]
                  mode: import
                  volumeMapRef: {name: dr}
                """.formatted(name), "ConfigRestore").get(0);
    }

    @Test
    void aBadConfigRestoreIsRejectedByTheSchemaNamingTheFieldAndItsStatusIsChecked() {
        try (EmbeddedKube k = withCrds(tmp)) {
            k.create(KubeKind.CONFIG_RESTORE, configRestore("good"));
            Map<String, java.util.function.Consumer<ObjectNode>> bad = new java.util.LinkedHashMap<>();
            bad.put("SCHEMA_INVALID_VALUE at spec.mode", c -> ((ObjectNode) c.get("spec")).put("mode", "overwrite"));
            bad.put(
                    "SCHEMA_INVALID_VALUE at spec.sourceNamespace",
                    c -> ((ObjectNode) c.get("spec")).remove("sourceNamespace"));
            bad.put(
                    "SCHEMA_UNKNOWN_FIELD at spec.targetNamespace",
                    c -> ((ObjectNode) c.get("spec")).put("targetNamespace", "elsewhere"));
            bad.put(
                    "SCHEMA_INVALID_VALUE at spec.vms.selector.matchExpressions[0].operator",
                    c -> ((ObjectNode) c.at("/spec/vms/selector/matchExpressions/0")).put("operator", "Like"));
            bad.put("SCHEMA_WRONG_TYPE at spec.vms.names", c -> ((ObjectNode) c.at("/spec/vms")).put("names", "db"));
            eachRejected(k, KubeKind.CONFIG_RESTORE, CrdSchemaTest::configRestore, bad);
            ObjectNode good = k.cluster
                    .get(KubeKind.CONFIG_RESTORE, "vmconfig-system", "good")
                    .orElseThrow();
            good.putObject("status").put("phase", "Done");
            assertThatThrownBy(() -> k.cluster.updateStatus(KubeKind.CONFIG_RESTORE, good))
                    .rootCause()
                    .hasMessageContaining("SCHEMA_INVALID_VALUE at status.phase");
            ObjectNode grant = (ObjectNode) Yaml.parseAll("""
                    apiVersion: vmconfig.io/v1
                    kind: RepositoryGrant
                    metadata: {name: lab}
                    spec:
                      repository: {url: s3://bucket/vmconfig}
                      namespaces: [{target: lab-dr}]
                    """, "grant").get(0);
            assertThatThrownBy(() -> k.cluster.create(KubeKind.REPOSITORY_GRANT, grant))
                    .rootCause()
                    .hasMessageContaining("SCHEMA_INVALID_VALUE at spec.namespaces[0].sourceNamespaces");
            ((ObjectNode) grant.at("/spec/namespaces/0"))
                    .putArray("sourceNamespaces")
                    .add("lab");
            k.create(KubeKind.REPOSITORY_GRANT, grant);
            assertThat(k.cluster.list(KubeKind.REPOSITORY_GRANT, null, null)).hasSize(1);
        }
    }

    static ObjectNode configSync(String name) {
        return (ObjectNode) Yaml.parseAll("""
                apiVersion: vmconfig.io/v1
                kind: ConfigSync
                metadata: {name: %s, namespace: vmconfig-system}
                spec:
                  repository:
                    url: s3://bucket/vmconfig?endpoint=https://s3.example
                    credentialsSecretRef: {name: vmconfig-repo-credentials, key: cloud}
                  verifyKeySecretRef: {name: vmconfig-keys, key: signing.pub}
                  repositoryKeySecretRef: {name: vmconfig-keys, key: repository.key}
                  volumeMapRef: {name: dr}
                  interval: 5m
                  mode: failover
                  namespaces: [prod-apps]
                  pruneDeleted: false
                  suspend: false
                """.formatted(name), "ConfigSync").get(0);
    }

    @Test
    void aBadConfigSyncIsRejectedByTheSchemaNamingTheFieldAndAGoodOneIsAccepted() {
        try (EmbeddedKube k = withCrds(tmp)) {
            k.create(KubeKind.CONFIG_SYNC, configSync("good"));
            Map<String, java.util.function.Consumer<ObjectNode>> bad = new java.util.LinkedHashMap<>();
            bad.put("SCHEMA_WRONG_TYPE at spec.interval", c -> ((ObjectNode) c.get("spec")).put("interval", 5));
            bad.put("SCHEMA_UNKNOWN_FIELD at spec.supend", c -> ((ObjectNode) c.get("spec")).put("supend", true));
            bad.put("SCHEMA_INVALID_VALUE at spec.mode", c -> ((ObjectNode) c.get("spec")).put("mode", "mirror"));
            bad.put(
                    "SCHEMA_INVALID_VALUE at spec.repository.url",
                    c -> ((ObjectNode) c.at("/spec/repository")).remove("url"));
            bad.put("SCHEMA_WRONG_TYPE at spec.namespaces", c -> ((ObjectNode) c.get("spec")).put("namespaces", "x"));
            eachRejected(k, KubeKind.CONFIG_SYNC, CrdSchemaTest::configSync, bad);

            ObjectNode good = k.cluster
                    .get(KubeKind.CONFIG_SYNC, "vmconfig-system", "good")
                    .orElseThrow();
            ObjectNode status = good.putObject("status");
            status.putArray("conditions").addObject().put("type", "Ready").put("status", "Maybe");
            assertThatThrownBy(() -> k.cluster.updateStatus(KubeKind.CONFIG_SYNC, good))
                    .rootCause()
                    .hasMessageContaining("SCHEMA_INVALID_VALUE at status.conditions[0].status");
            ObjectNode many = k.cluster
                    .get(KubeKind.CONFIG_SYNC, "vmconfig-system", "good")
                    .orElseThrow();
            var blocked = many.putObject("status").putArray("blockedVMs");
            for (int n = 0; n < 21; n++) {
                blocked.addObject().put("vm", "ns/vm-" + n);
            }
            assertThatThrownBy(() -> k.cluster.updateStatus(KubeKind.CONFIG_SYNC, many))
                    .rootCause()
                    .hasMessageContaining("SCHEMA_INVALID_VALUE at status.blockedVMs");
        }
    }
}
