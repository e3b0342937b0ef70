package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.access.Audit;
import io.vmconfig.core.access.UnreadableSecrets;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.TestRepository;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who asked: every object written carries the user the API server authenticated and the time; history shows the DR
 * side's applies; a backup never leaves a Secret out in silence (users bound to Roles on the strict API server).
 */
class AuditTrailTest {
    @TempDir
    Path tmp;

    @Test
    void everyObjectWrittenCarriesTheUserAndTimeAndHistoryShowsTheDrSideApplies() {
        try (TwoClusters c = TwoClusters.start(tmp)) {
            String set = c.backup();
            String[] alice = c.dr.user("alice");
            PermissionPreflightTest.role(
                    c.dr, null, "dr-admin", "[{apiGroups: ['*'], resources: ['*']," + " verbs: ['*']}]");
            Instant before = Instant.now().minusSeconds(1);
            Cli.Result r = Cli.run(c.drArgs("sync", alice, "--once", "--no-leader-elect", "--port", "-1"));
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            ObjectNode vm = c.dr.cluster.get(KubeKind.VM, "lab-dr", "db-02").orElseThrow();
            Audit audit = Audit.of(vm).orElseThrow();
            assertThat(audit.user()).isEqualTo("alice");
            assertThat(Duration.between(before, audit.at()).toSeconds()).isBetween(0L, 120L);
            assertThat(vm.at("/metadata/annotations/vmconfig.io~1set").asText()).isEqualTo(set);
            assertThat(vm.at("/metadata/annotations/vmconfig.io~1revision").asText())
                    .isNotEmpty();
            for (KubeKind k : new KubeKind[] {KubeKind.SECRET, KubeKind.NAMESPACE, KubeKind.EVENT}) {
                for (ObjectNode o : c.dr.cluster.list(k, null, null)) {
                    if (o.at("/metadata/labels/vmconfig.io~1managed").asText().equals("true")
                            || o.at("/metadata/annotations").has("vmconfig.io/desired-hash")
                            || k.equals(KubeKind.EVENT)) {
                        assertThat(Audit.of(o))
                                .as(k.kind() + " " + o.at("/metadata/name").asText())
                                .map(Audit::user)
                                .contains("alice");
                    }
                }
            }

            Cli.Result h = Cli.run(TestRepository.args(
                    "history", "lab/db-02", TestRepository.verifier(c.repo, c.keys), "-o", "json", c.dr.contextArgs()));
            assertThat(h.code()).as(h.err()).isZero();
            JsonNode tree = Json.parse(h.out(), "history");
            assertThat(tree.at("/revisions/0/firstSet").asText()).isEqualTo(set);
            JsonNode dr = tree.path("dr");
            assertThat(dr).hasSize(2);
            assertThat(dr.findValuesAsText("vm")).containsOnly("lab-dr/db-02");
            assertThat(dr.findValuesAsText("by")).containsOnly("alice");
            assertThat(dr.findValuesAsText("what"))
                    .containsExactlyInAnyOrder("current", "created: created from set " + set + " (halted)");
            assertThat(dr.findValuesAsText("set")).contains(set);
        }
    }

    @Test
    void aBackupRefusesAVmWhoseSecretsItMayNotReadUnlessToldToGoWithoutThem() {
        try (TwoClusters c = TwoClusters.start(tmp)) {
            String[] bob = c.prod.user("alice"); // the helper binds alice
            PermissionPreflightTest.role(
                    c.prod,
                    null,
                    "reader",
                    "[{apiGroups: [kubevirt.io], resources:"
                            + " [virtualmachines], verbs: [list]}, {apiGroups: [''], resources: [configmaps, serviceaccounts,"
                            + " persistentvolumeclaims], verbs: [list]}, {apiGroups: [apps], resources: [controllerrevisions],"
                            + " verbs: [list]}, {apiGroups: [instancetype.kubevirt.io], resources: ['*'], verbs: [list]}]");
            PermissionPreflightTest.role(
                    c.prod, "prod-apps", "secrets", "[{apiGroups: [''], resources: [secrets]," + " verbs: [list]}]");
            String[] base =
                    TestRepository.args("backup", TestRepository.writer(c.repo, c.keys), "--source-cluster", "prod");
            Cli.Result refused = Cli.run(TestRepository.args(base, bob));
            assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.REFUSED);
            assertThat(refused.out())
                    .contains("failed lab/db-02: refused: it uses Secret(s)")
                    .contains("kubectl auth can-i list secrets -n lab")
                    .doesNotContain("failed prod-apps/web-01");

            Cli.Result without = Cli.run(TestRepository.args(base, bob, "--without-secrets"));
            assertThat(without.code()).as(without.out() + without.err()).isZero();
            assertThat(without.out()).contains("left out (--without-secrets");
            Cli.Result show = Cli.run(
                    TestRepository.args("show", "lab/db-02", TestRepository.verifier(c.repo, c.keys), "-o", "json"));
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out())
                    .contains(UnreadableSecrets.OMITTED)
                    .doesNotContain("\"kind\" : \"Secret\"")
                    .doesNotContain("\"kind\":\"Secret\"");
        }
    }
}
