package io.vmconfig.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.BundleId;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sync decisions on hand-made inputs: every action and every safety rule. */
class SyncPlannerTest {
    static final VmRef WEB = new VmRef("apps", "web");
    static final String B1 = "1".repeat(64);
    static final String B2 = "2".repeat(64);

    static Entry entry(String bundle, long generation, String capturedAt) {
        BundleId id = BundleId.of(bundle);
        return new Entry(WEB, "uid-1", generation, generation, Instant.parse(capturedAt), id, id.digest(), 10, false);
    }

    static ObjectNode vm(int cores) {
        ObjectNode vm = Json.object();
        vm.put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        vm.putObject("metadata")
                .put("namespace", "apps")
                .put("name", "web")
                .putObject("labels")
                .put(Annotations.MANAGED_LABEL, "true");
        vm.putObject("spec")
                .put("runStrategy", "Halted")
                .putObject("template")
                .putObject("spec")
                .putObject("domain")
                .putObject("cpu")
                .put("cores", cores);
        return vm;
    }

    static VmResult restored(ObjectNode vm) {
        return new VmResult(WEB, WEB, VmResult.Status.RESTORED, "test", List.of(vm), List.of());
    }

    static SyncInput set(String id, Entry e, VmResult r) {
        return new SyncInput(id, "prod", List.of(e), List.of(r));
    }

    /** What a previous sync wrote for {@code e}, as the server returns it. */
    static ObjectNode written(Entry e, int cores) {
        ObjectNode w = Trace.stamp(vm(cores), Trace.of("prod", "set-0", e));
        w.withObjectProperty("metadata").put("resourceVersion", "7").put("uid", "dr-uid");
        w.putObject("status").put("printableStatus", "Stopped");
        return w;
    }

    static VmPlan only(SyncPlanner p, SyncInput in, DrState dr) {
        List<VmPlan> plans = p.plan(in, dr);
        assertThat(plans).hasSize(1);
        return plans.get(0);
    }

    static DrState dr(ObjectNode vm, boolean vmi, boolean activated) {
        return new DrState(vm == null ? Map.of() : Map.of(WEB, new DrVm(vm, vmi)), activated);
    }

    final Entry e1 = entry(B1, 3, "2026-01-01T00:00:00Z");
    final Entry e2 = entry(B2, 4, "2026-01-02T00:00:00Z");

    @Test
    void aMissingVmIsCreatedWithItsTrace() {
        VmPlan p = only(new SyncPlanner(false), set("s1", e1, restored(vm(2))), dr(null, false, false));
        assertThat(p.action()).isEqualTo(SyncAction.CREATE);
        ObjectNode doc = p.documents().get(0);
        assertThat(doc.path("metadata")
                        .path("annotations")
                        .path(Annotations.BUNDLE)
                        .asText())
                .isEqualTo(B1);
        assertThat(doc.path("metadata")
                        .path("annotations")
                        .path(Annotations.SET_ID)
                        .asText())
                .isEqualTo("s1");
        assertThat(Trace.desiredHash(doc)).isEqualTo(Trace.hash(doc));
    }

    @Test
    void theSameBundleInANewSetIsUnchangedAndANewBundleIsAnUpdateWithADiff() {
        ObjectNode current = written(e1, 2);
        assertThat(only(new SyncPlanner(false), set("s2", e1, restored(vm(2))), dr(current, false, false))
                        .action())
                .isEqualTo(SyncAction.UNCHANGED);
        VmPlan p = only(new SyncPlanner(false), set("s3", e2, restored(vm(4))), dr(current, false, false));
        assertThat(p.action()).isEqualTo(SyncAction.UPDATE);
        assertThat(p.diff()).extracting(Object::toString).contains("~ /spec/template/spec/domain/cpu/cores: 2 -> 4");
    }

    @Test
    void aRunningVmIsSkippedHoweverItRuns() {
        SyncInput in = set("s3", e2, restored(vm(4)));
        ObjectNode always = written(e1, 2);
        always.withObjectProperty("spec").put("runStrategy", "Always");
        ObjectNode status = written(e1, 2);
        status.withObjectProperty("status").put("printableStatus", "Starting");
        for (DrState dr :
                List.of(dr(written(e1, 2), true, false), dr(always, false, false), dr(status, false, false))) {
            VmPlan p = only(new SyncPlanner(true), in, dr);
            assertThat(p.action()).isEqualTo(SyncAction.SKIPPED);
            assertThat(p.reasons().get(0)).contains("running on DR");
            assertThat(p.documents()).isEmpty();
        }
    }

    @Test
    void anOlderRevisionIsSkippedUnlessRollbackIsAllowed() {
        ObjectNode current = written(e2, 4);
        SyncInput older = set("s1", e1, restored(vm(2)));
        VmPlan refused = only(new SyncPlanner(false), older, dr(current, false, false));
        assertThat(refused.action()).isEqualTo(SyncAction.SKIPPED);
        assertThat(refused.reasons().get(0)).contains("--allow-rollback");
        assertThat(refused.codes()).containsExactly(ReasonCodes.OLDER_REVISION);
        assertThat(only(new SyncPlanner(true), older, dr(current, false, false)).action())
                .isEqualTo(SyncAction.UPDATE);
    }

    /** Failback: the original production VM, unmanaged, halted, is adopted; the plan says so like any other action. */
    @Test
    void theOriginalVmIsAnUpdateThatSaysAdopted() {
        ObjectNode original = vm(2);
        ((ObjectNode) original.get("metadata")).remove("labels");
        original.withObjectProperty("metadata").put("uid", "prod-uid");
        ObjectNode incoming = vm(6);
        incoming.withObjectProperty("metadata").putObject("annotations").put(Annotations.ORIGIN_UID, "prod-uid");
        VmPlan p = only(new SyncPlanner(false), set("s1", e1, restored(incoming)), dr(original, false, false));
        assertThat(p.action()).isEqualTo(SyncAction.UPDATE);
        assertThat(p.codes()).containsExactly(ReasonCodes.ADOPTED);
        assertThat(p.reasons().get(0)).contains("adopted");
        assertThat(p.diff()).extracting(Object::toString).contains("~ /spec/template/spec/domain/cpu/cores: 2 -> 6");
        ObjectNode managed = vm(2);
        managed.withObjectProperty("metadata").put("uid", "dr-uid");
        assertThat(only(new SyncPlanner(false), set("s1", e1, restored(vm(6))), dr(managed, false, false))
                        .codes())
                .as("an ordinary update carries no code")
                .isEmpty();
    }

    @Test
    void blockedUnmanagedAndActivatedWriteNothing() {
        VmResult blocked = new VmResult(
                WEB,
                null,
                VmResult.Status.BLOCKED,
                "test",
                List.of(),
                List.of("claim a: missing", "claim b: too small"));
        VmPlan b = only(new SyncPlanner(false), set("s1", e1, blocked), dr(null, false, false));
        assertThat(b.action()).isEqualTo(SyncAction.BLOCKED);
        assertThat(b.reasons()).containsExactly("claim a: missing", "claim b: too small");

        ObjectNode foreign = vm(2);
        foreign.withObjectProperty("metadata").remove("labels");
        assertThat(only(new SyncPlanner(false), set("s1", e1, restored(vm(2))), dr(foreign, false, false))
                        .action())
                .isEqualTo(SyncAction.BLOCKED);

        VmPlan a = only(new SyncPlanner(false), set("s1", e1, restored(vm(2))), dr(null, false, true));
        assertThat(a.action()).isEqualTo(SyncAction.SKIPPED);
        assertThat(a.reasons().get(0)).contains("activated");
    }

    @Test
    void anActivatedVmIsSkippedWithItsCodeAndTheOthersStayInStep() {
        ObjectNode act = DrSafetyTest.activated(written(e1, 2));
        act.withObjectProperty("spec").put("runStrategy", "Always");
        VmPlan p = only(new SyncPlanner(true), set("s3", e2, restored(vm(4))), dr(act, true, false));
        assertThat(p.action()).isEqualTo(SyncAction.SKIPPED);
        assertThat(p.codes()).containsExactly(ReasonCodes.VM_ACTIVATED);
        VmResult blocked =
                new VmResult(WEB, WEB, VmResult.Status.BLOCKED, "test", List.of(), List.of("claim a: missing"));
        assertThat(only(new SyncPlanner(false), set("s3", e2, blocked), dr(act, true, false))
                        .codes())
                .as("an activated VM is left alone, not reported blocked")
                .containsExactly(ReasonCodes.VM_ACTIVATED);
        VmPlan other = only(new SyncPlanner(false), set("s3", e2, restored(vm(4))), dr(written(e1, 2), false, false));
        assertThat(other.action()).isEqualTo(SyncAction.UPDATE);
    }

    @Test
    void pruneDeletedTakesOnlyHaltedManagedVmsOfTheSameSourceWhoseSourceIsGone() {
        ObjectNode gone = written(e1, 2);
        gone.withObjectProperty("metadata").put("name", "old");
        gone.withObjectProperty("metadata")
                .withObjectProperty("annotations")
                .put(Annotations.SOURCE_NAMESPACE, "apps")
                .put(Annotations.SOURCE_NAME, "old");
        ObjectNode goneRunning = gone.deepCopy();
        goneRunning.withObjectProperty("metadata").put("name", "old-running");
        goneRunning.withObjectProperty("spec").put("runStrategy", "Always");
        ObjectNode otherCluster = gone.deepCopy();
        otherCluster.withObjectProperty("metadata").put("name", "other");
        otherCluster
                .withObjectProperty("metadata")
                .withObjectProperty("annotations")
                .put(Annotations.SOURCE_CLUSTER, "elsewhere");
        Map<VmRef, DrVm> vms = Map.of(
                new VmRef("apps", "old"),
                new DrVm(gone, false),
                new VmRef("apps", "old-running"),
                new DrVm(goneRunning, false),
                new VmRef("apps", "other"),
                new DrVm(otherCluster, false));
        SyncInput in = set("s2", e1, restored(vm(2)));
        List<VmPlan> deletions = SyncPlanner.pruneDeleted(in, new DrState(vms, false));
        assertThat(deletions).extracting(VmPlan::name).containsExactly("apps/old");
        assertThat(SyncPlanner.pruneDeleted(in, new DrState(vms, true))).isEmpty();
    }
}
