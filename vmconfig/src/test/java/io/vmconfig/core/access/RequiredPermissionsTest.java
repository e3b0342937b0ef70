package io.vmconfig.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The permissions a writing command needs, from its plan: pure, so every case is checked here by hand. */
class RequiredPermissionsTest {
    static ApiResource resolve(ObjectNode o) {
        return switch (o.path("kind").asText()) {
            case "VirtualMachine" -> RequiredPermissions.VIRTUAL_MACHINES;
            case "Secret" -> new ApiResource("", "secrets", true);
            default -> throw new IllegalArgumentException(o.path("kind").asText());
        };
    }

    static ObjectNode obj(String kind, String ns, String name) {
        return Fixtures.yaml("kind: " + kind + "\nmetadata: {namespace: " + ns + ", name: " + name + "}\n");
    }

    static Permission p(String verb, String group, String resource, String ns) {
        return new Permission(verb, group, resource, ns);
    }

    static VmPlan plan(SyncAction action, String ns, String name, ObjectNode... docs) {
        VmRef r = new VmRef(ns, name);
        return new VmPlan(r, r, action, List.of(), List.of(), List.of(docs), Optional.empty());
    }

    @Test
    void anApplyReadsCreatesAndUpdatesEachObjectAndCreatesOnlyMissingNamespaces() {
        var needed = new RequiredPermissions(RequiredPermissionsTest::resolve, Set.of("a")::contains)
                .toApply(List.of(
                        plan(SyncAction.CREATE, "a", "vm1", obj("Secret", "a", "s"), obj("VirtualMachine", "a", "vm1")),
                        plan(SyncAction.UPDATE, "b", "vm2", obj("VirtualMachine", "b", "vm2")),
                        plan(SyncAction.UNCHANGED, "c", "vm3", obj("VirtualMachine", "c", "vm3")),
                        plan(SyncAction.BLOCKED, "d", "vm4"),
                        plan(SyncAction.DELETE, "e", "vm5")))
                .list();
        assertThat(needed)
                .containsExactly(
                        p("create", "", "namespaces", null),
                        p("get", "", "namespaces", "a"),
                        p("create", "", "secrets", "a"),
                        p("get", "", "secrets", "a"),
                        p("update", "", "secrets", "a"),
                        p("create", "kubevirt.io", "virtualmachines", "a"),
                        p("get", "kubevirt.io", "virtualmachines", "a"),
                        p("update", "kubevirt.io", "virtualmachines", "a"),
                        p("get", "", "namespaces", "b"),
                        p("create", "kubevirt.io", "virtualmachines", "b"),
                        p("get", "kubevirt.io", "virtualmachines", "b"),
                        p("update", "kubevirt.io", "virtualmachines", "b"),
                        p("delete", "kubevirt.io", "virtualmachines", "e"),
                        p("get", "kubevirt.io", "virtualmachines", "e"));
    }

    @Test
    void anImportNeverAsksToUpdateAndSkipsWhatDidNotRestore() {
        VmResult ok = new VmResult(
                new VmRef("a", "vm1"),
                new VmRef("a", "vm1"),
                VmResult.Status.RESTORED,
                "f",
                List.of(obj("VirtualMachine", "a", "vm1")),
                List.of());
        VmResult blocked = new VmResult(
                new VmRef("b", "vm2"),
                new VmRef("b", "vm2"),
                VmResult.Status.BLOCKED,
                "f",
                List.of(obj("VirtualMachine", "b", "vm2")),
                List.of("no"));
        assertThat(new RequiredPermissions(RequiredPermissionsTest::resolve, ns -> true)
                        .toImport(List.of(ok, blocked))
                        .list())
                .containsExactly(
                        p("get", "", "namespaces", "a"),
                        p("create", "kubevirt.io", "virtualmachines", "a"),
                        p("get", "kubevirt.io", "virtualmachines", "a"));
    }

    @Test
    void activationNeedsTheStateAndTheVmsOrEveryVmWithAll() {
        var r = new RequiredPermissions(RequiredPermissionsTest::resolve, ns -> true);
        assertThat(r.toActivate("sys", List.of()).list())
                .containsExactly(
                        p("list", "kubevirt.io", "virtualmachines", null),
                        p("update", "kubevirt.io", "virtualmachines", null),
                        p("create", "", "configmaps", "sys"),
                        p("get", "", "configmaps", "sys"),
                        p("update", "", "configmaps", "sys"));
    }

    @Test
    void theRefusalListsEveryMissingPermissionByNamespaceAndResource() {
        PermissionDenied d = new PermissionDenied(
                "restore --context",
                "alice",
                "dr",
                List.of(
                        p("update", "", "secrets", "a"),
                        p("create", "", "namespaces", null),
                        p("create", "", "secrets", "a")));
        assertThat(d.getMessage()).isEqualTo("""
                restore --context refused before writing anything: user "alice" on dr lacks 3 permission(s):
                  NAMESPACE  RESOURCE    VERBS
                  *          namespaces  [create]
                  a          secrets     [create, update]""");
        assertThat(d.missing()).hasSize(3);
    }

    @Test
    void theAuditStampIsACopyWithWhoAndWhen() {
        ObjectNode o = obj("Secret", "a", "s");
        ObjectNode stamped = new Audit("alice", Instant.parse("2026-12-04T05:00:00Z")).stamp(o);
        assertThat(o.path("metadata").has("annotations")).isFalse();
        assertThat(Audit.of(stamped)).contains(new Audit("alice", Instant.parse("2026-12-04T05:00:00Z")));
        assertThat(stamped.at("/metadata/annotations/vmconfig.io~1applied-by").asText())
                .isEqualTo("alice");
    }
}
