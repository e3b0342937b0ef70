package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failback sequence of docs/dr-runbook.md §5, through the CLI against two in-process API servers: fail app-03
 * over, change it on DR, then backup --context DR, map invert, restore --context PROD, activate on production,
 * deactivate on DR.
 */
class FailbackTest {
    /** One-to-one, so that it inverts: app-03's disk onto its DR replica. */
    static final String MAP = """
            apiVersion: vmconfig.io/v1
            kind: VolumeMap
            namespaces: {prod-apps: prod-apps}
            claims: {prod-apps/app-03-disk: dr-app-03-disk}
            storageClasses: {harvester-longhorn: replica-block}
            """;

    static final String APP = "prod-apps/app-03";

    @TempDir
    Path tmp;

    TwoClusters c;
    EmbeddedKube prod;
    EmbeddedKube dr;

    @BeforeEach
    void start() {
        c = TwoClusters.start(tmp);
        prod = c.prod;
        dr = c.dr;
    }

    @AfterEach
    void stop() {
        c.close();
    }

    static Cli.Result ok(Cli.Result r) {
        return TwoClusters.ok(r);
    }

    static Cli.Result on(EmbeddedKube cluster, String... args) {
        return TwoClusters.on(cluster, args);
    }

    static ObjectNode vm(EmbeddedKube c) {
        return c.cluster.get(KubeKind.VM, "prod-apps", "app-03").orElseThrow();
    }

    static String annotation(ObjectNode vm, String key) {
        return vm.path("metadata").path("annotations").path(key).asText(null);
    }

    private static String claim(ObjectNode vm) {
        for (JsonNode v : vm.path("spec").path("template").path("spec").path("volumes")) {
            if (v.has("persistentVolumeClaim")) {
                return v.path("persistentVolumeClaim").path("claimName").asText();
            }
        }
        return null;
    }

    @Test
    void aChangeMadeOnDrArrivesOnProductionsOwnClaimHaltedOnTheAdoptedOriginalUntilActivated() throws Exception {
        Path map = Files.writeString(tmp.resolve("volume-map.yaml"), MAP);
        String forward = c.newRepo("forward");
        c.backup(prod, forward, "prod", "app.kubernetes.io/name=app-03");
        ok(c.restore(dr, forward, map.toString()));
        String prodUid = vm(prod).path("metadata").path("uid").asText();
        assertThat(annotation(vm(dr), Annotations.SOURCE_UID)).isEqualTo(prodUid);

        // failover of app-03: production is down (its VM stopped), DR runs it and is changed there
        TwoClusters.stop(prod, "prod-apps", "app-03");
        ok(on(dr, "activate", APP));
        TwoClusters.changeCores(dr, "prod-apps", "app-03", 6);

        // failback: DR's definitions, as DR has them, onto production through the inverted map
        String back = c.newRepo("failback");
        c.backup(dr, back, "dr", "app.kubernetes.io/name=app-03");
        Path inverse = tmp.resolve("failback-map.yaml");
        ok(Cli.run("map", "invert", "--map", map.toString(), "--out", inverse.toString()));
        Cli.Result restored = ok(c.restore(prod, back, inverse.toString()));
        JsonNode planned = Json.parse(restored.out(), "restore").path("vms").get(0);
        assertThat(planned.path("action").asText())
                .as("adopted: an update, not refused as unmanaged")
                .isEqualTo("update");
        assertThat(planned.path("diff").toString())
                .contains("~ /spec/template/spec/domain/cpu/cores: 1 -> 6")
                .doesNotContain("activated-at")
                .doesNotContain("applied-at");

        ObjectNode onProd = vm(prod);
        assertThat(onProd.path("metadata").path("uid").asText())
                .as("adopted in place, not a new VM")
                .isEqualTo(prodUid);
        assertThat(prod.cluster.list(KubeKind.VM, "prod-apps", null))
                .filteredOn(v -> v.path("metadata").path("name").asText().startsWith("app-03"))
                .hasSize(1);
        assertThat(onProd.at("/spec/template/spec/domain/cpu/cores").asInt())
                .as("DR's change")
                .isEqualTo(6);
        assertThat(claim(onProd)).as("production's own claim").isEqualTo("app-03-disk");
        assertThat(onProd.at("/spec/runStrategy").asText()).isEqualTo("Halted");
        assertThat(onProd.at("/metadata/labels").path(Annotations.MANAGED_LABEL).asText())
                .isEqualTo("true");
        assertThat(annotation(onProd, Annotations.SOURCE_CLUSTER)).isEqualTo("dr");
        assertThat(annotation(onProd, Annotations.SOURCE_UID))
                .isEqualTo(vm(dr).path("metadata").path("uid").asText());
        assertThat(annotation(onProd, Annotations.ACTIVATED_AT))
                .as("DR's activation stays on DR")
                .isNull();

        // production activated, DR deactivated and halted again: the next forward sync keeps DR in step
        ok(on(prod, "activate", APP));
        assertThat(vm(prod).at("/spec/runStrategy").asText()).isEqualTo("Always");
        ok(on(dr, "deactivate", APP));
        assertThat(annotation(vm(dr), Annotations.ACTIVATED_AT)).isNull();
    }
}
