package io.vmconfig.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.sync.ConfigRestoreStatus;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.core.vm.VmSelection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tenant rule, one case per reason code, and the request helpers it relies on. */
class TenantPolicyTest {
    static final String REPO = "s3://configs/prod?endpoint=https://s3.example";
    static final TenantPolicy.Grant GRANT =
            new TenantPolicy.Grant("lab", REPO, Map.of("team-a", List.of("lab"), "team-b", List.of("apps")));
    static final TenantPolicy.Request REQUEST =
            new TenantPolicy.Request("team-a", "r", REPO, "lab", TenantPolicy.Mode.RESTORE);

    static TenantPolicy.Verdict vm(
            TenantPolicy.Request r, String source, String target, List<String> ns, boolean exists) {
        return TenantPolicy.decide(
                r,
                List.of(GRANT),
                Optional.of(new TenantPolicy.Vm(
                        VmRef.parse(source), target == null ? null : VmRef.parse(target), ns, exists)));
    }

    @Test
    void aRepositoryMustBeGrantedForTheRequestsNamespaceAndSourceNamespace() {
        assertThat(TenantPolicy.decide(REQUEST, List.of(GRANT), Optional.empty())
                        .code())
                .isEqualTo(TenantPolicy.ALLOWED);
        assertThat(TenantPolicy.decide(REQUEST, List.of(), Optional.empty()).code())
                .isEqualTo(TenantPolicy.REPOSITORY_NOT_ALLOWED);
        TenantPolicy.Request otherRepo =
                new TenantPolicy.Request("team-a", "r", "s3://configs/other", "lab", TenantPolicy.Mode.RESTORE);
        assertThat(TenantPolicy.decide(otherRepo, List.of(GRANT), Optional.empty())
                        .code())
                .isEqualTo(TenantPolicy.REPOSITORY_NOT_ALLOWED);
        TenantPolicy.Request otherNs = new TenantPolicy.Request("team-c", "r", REPO, "lab", TenantPolicy.Mode.RESTORE);
        assertThat(TenantPolicy.decide(otherNs, List.of(GRANT), Optional.empty())
                        .code())
                .isEqualTo(TenantPolicy.REPOSITORY_NOT_ALLOWED);
        // team-b may use the repository, but not lab's VMs: another tenant's source namespace
        TenantPolicy.Request teamB = new TenantPolicy.Request("team-b", "r", REPO, "lab", TenantPolicy.Mode.RESTORE);
        TenantPolicy.Verdict v = TenantPolicy.decide(teamB, List.of(GRANT), Optional.empty());
        assertThat(v.code()).isEqualTo(TenantPolicy.SOURCE_NAMESPACE_NOT_ALLOWED);
        assertThat(v.refused()).isTrue();
        assertThat(v.reason()).contains("lab", "team-b");
        TenantPolicy.Request slash = new TenantPolicy.Request(
                "team-a", "r", "s3://configs/prod/?endpoint=https://s3.example", "lab", TenantPolicy.Mode.RESTORE);
        assertThat(TenantPolicy.decide(slash, List.of(GRANT), Optional.empty()).outcome())
                .isEqualTo(TenantPolicy.Outcome.ALLOW);
    }

    @Test
    void everyObjectOfAVmMustLandInTheRequestsNamespace() {
        assertThat(vm(REQUEST, "lab/db", "team-a/db", List.of("team-a", "team-a"), false)
                        .outcome())
                .isEqualTo(TenantPolicy.Outcome.ALLOW);
        assertThat(vm(REQUEST, "lab/db", "team-b/db", List.of("team-b"), false).code())
                .isEqualTo(TenantPolicy.TARGET_OUTSIDE_NAMESPACE);
        TenantPolicy.Verdict dep = vm(REQUEST, "lab/db", "team-a/db", List.of("team-b", "team-a"), false);
        assertThat(dep.code()).isEqualTo(TenantPolicy.TARGET_OUTSIDE_NAMESPACE);
        assertThat(dep.reason()).contains("namespace team-b");
        assertThat(vm(REQUEST, "lab/db", "team-a/db", List.of("", "team-a"), false)
                        .reason())
                .contains("cluster-scoped");
        assertThat(vm(REQUEST, "apps/web", "team-a/web", List.of("team-a"), false)
                        .code())
                .isEqualTo(TenantPolicy.SOURCE_NAMESPACE_NOT_ALLOWED);
        // not placed (blocked): nothing to write, the DR-safety rules report it
        assertThat(vm(REQUEST, "lab/db", null, List.of(), false).outcome()).isEqualTo(TenantPolicy.Outcome.ALLOW);
    }

    @Test
    void importNeverOverwritesRestoreMay() {
        TenantPolicy.Request imp = new TenantPolicy.Request("team-a", "r", REPO, "lab", TenantPolicy.Mode.IMPORT);
        assertThat(vm(imp, "lab/db", "team-a/db", List.of("team-a"), true).code())
                .isEqualTo(TenantPolicy.EXISTS);
        assertThat(vm(imp, "lab/db", "team-a/db", List.of("team-a"), true).outcome())
                .isEqualTo(TenantPolicy.Outcome.SKIP);
        assertThat(vm(REQUEST, "lab/db", "team-a/db", List.of("team-a"), true).outcome())
                .isEqualTo(TenantPolicy.Outcome.ALLOW);
        // a VM outside the namespace is refused, not merely skipped, even when it exists
        assertThat(vm(imp, "lab/db", "team-b/db", List.of("team-b"), true).code())
                .isEqualTo(TenantPolicy.TARGET_OUTSIDE_NAMESPACE);
    }

    @Test
    void theGrantsSecretsWinOverTheRequests() {
        assertThat(TenantPolicy.secretFrom(true, true)).isEqualTo(TenantPolicy.SecretFrom.GRANT);
        assertThat(TenantPolicy.secretFrom(false, true)).isEqualTo(TenantPolicy.SecretFrom.REQUEST);
        assertThat(TenantPolicy.secretFrom(false, false)).isEqualTo(TenantPolicy.SecretFrom.NONE);
    }

    @Test
    void aSelectionMatchesNamesAndLabelsTogether() {
        ObjectNode spec = (ObjectNode) Json.parse(
                "{\"names\":[\"db\",\"web\"],\"selector\":{\"matchLabels\":{\"app\":\"x\"},"
                        + "\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"NotIn\",\"values\":[\"cache\"]}]}}",
                "spec");
        VmSelection s = VmSelection.of(spec, "spec.vms");
        assertThat(s.matches(VmRef.parse("lab/db"), Optional.of(Map.of("app", "x"))))
                .isTrue();
        assertThat(s.matches(VmRef.parse("lab/db"), Optional.of(Map.of("app", "x", "tier", "cache"))))
                .isFalse();
        assertThat(s.matches(VmRef.parse("lab/other"), Optional.of(Map.of("app", "x"))))
                .isFalse();
        assertThat(s.matches(VmRef.parse("lab/db"), Optional.empty()))
                .as("labels unknown")
                .isFalse();
        assertThat(VmSelection.of(null, "x").matches(VmRef.parse("lab/any"), Optional.empty()))
                .isTrue();
    }

    @Test
    void aRequestRunsOncePerGenerationUnlessItFailedForAPassingReason() {
        ObjectNode cr = (ObjectNode) Json.parse("{\"metadata\":{\"generation\":2}}", "cr");
        assertThat(ConfigRestoreStatus.due(cr)).isTrue();
        cr.set("status", ConfigRestoreStatus.applied(2, java.time.Instant.EPOCH, "set-1", List.of()));
        assertThat(ConfigRestoreStatus.due(cr)).isFalse();
        ((ObjectNode) cr.get("metadata")).put("generation", 3);
        assertThat(ConfigRestoreStatus.due(cr)).as("the spec changed").isTrue();
        cr.set("status", ConfigRestoreStatus.failed(3, java.time.Instant.EPOCH, "TRANSIENT", "unreachable"));
        assertThat(ConfigRestoreStatus.due(cr)).isTrue();
        cr.set("status", ConfigRestoreStatus.failed(3, java.time.Instant.EPOCH, "CONFIG", "no such Secret"));
        assertThat(ConfigRestoreStatus.due(cr)).isFalse();
        cr.set(
                "status",
                ConfigRestoreStatus.refused(
                        3, java.time.Instant.EPOCH, null, TenantPolicy.REPOSITORY_NOT_ALLOWED, "no", List.of()));
        assertThat(cr.at("/status/reason").asText()).isEqualTo("RepositoryNotAllowed");
        assertThat(ConfigRestoreStatus.due(cr)).isFalse();
    }
}
