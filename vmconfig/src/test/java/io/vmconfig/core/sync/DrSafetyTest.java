package io.vmconfig.core.sync;

import static io.vmconfig.core.sync.SyncPlannerTest.WEB;
import static io.vmconfig.core.sync.SyncPlannerTest.entry;
import static io.vmconfig.core.sync.SyncPlannerTest.vm;
import static io.vmconfig.core.sync.SyncPlannerTest.written;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.vm.Annotations;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one DR-safety decision: each rule, its reason code, and which rule wins when several hold. */
class DrSafetyTest {
    final Entry e1 = entry(SyncPlannerTest.B1, 3, "2026-01-01T00:00:00Z");
    final Entry e2 = entry(SyncPlannerTest.B2, 4, "2026-01-02T00:00:00Z");

    static DrSafety.Verdict decide(
            boolean site,
            ObjectNode current,
            boolean vmi,
            Entry incoming,
            ObjectNode desired,
            boolean restorable,
            boolean rollback) {
        return DrSafety.decide(new DrSafety.Facts(
                WEB,
                site,
                Optional.ofNullable(current).map(c -> new DrVm(c, vmi)),
                Optional.ofNullable(incoming),
                Optional.ofNullable(desired),
                restorable,
                rollback));
    }

    static ObjectNode activated(ObjectNode vm) {
        ObjectNode a = vm.deepCopy();
        a.withObjectProperty("metadata")
                .withObjectProperty("annotations")
                .put(Annotations.ACTIVATED_AT, "2026-01-03T00:00:00Z");
        return a;
    }

    private static void is(DrSafety.Verdict v, DrSafety.Outcome outcome, String code) {
        assertThat(v.outcome()).as(v.reason()).isEqualTo(outcome);
        assertThat(v.code()).isEqualTo(code);
    }

    @Test
    void anActivatedSiteOrVmIsLeftAloneWhateverElseHolds() {
        ObjectNode running = written(e2, 4);
        running.withObjectProperty("spec").put("runStrategy", "Always");
        is(decide(true, null, false, e1, vm(2), false, false), DrSafety.Outcome.SKIP, ReasonCodes.ACTIVATED);
        is(decide(true, running, true, e1, vm(2), true, true), DrSafety.Outcome.SKIP, ReasonCodes.ACTIVATED);
        DrSafety.Verdict v = decide(false, activated(running), true, e1, vm(2), false, false);
        is(v, DrSafety.Outcome.SKIP, ReasonCodes.VM_ACTIVATED);
        assertThat(v.reason())
                .contains("apps/web")
                .contains("2026-01-03T00:00:00Z")
                .contains("deactivate apps/web");
        ObjectNode foreign = activated(vm(2));
        foreign.withObjectProperty("metadata").remove("labels");
        is(decide(false, foreign, false, e1, vm(2), true, false), DrSafety.Outcome.SKIP, ReasonCodes.VM_ACTIVATED);
    }

    @Test
    void aFailedRestoreIsRefusedAndAnAbsentVmIsApplied() {
        is(decide(false, null, false, e1, null, false, false), DrSafety.Outcome.REFUSE, ReasonCodes.RESTORE_FAILED);
        is(decide(false, null, false, e1, vm(2), true, false), DrSafety.Outcome.APPLY, ReasonCodes.ABSENT);
    }

    @Test
    void aHaltedForeignVmIsRefusedAndARunningOneIsLeftAloneAsRunning() {
        ObjectNode foreign = vm(2);
        foreign.withObjectProperty("metadata").remove("labels");
        is(decide(false, foreign, false, e1, vm(2), true, true), DrSafety.Outcome.REFUSE, ReasonCodes.UNMANAGED_VM);
        foreign.withObjectProperty("spec").put("runStrategy", "Always");
        is(decide(false, foreign, true, e1, vm(2), true, true), DrSafety.Outcome.SKIP, ReasonCodes.RUNNING);
    }

    /** Failback: the original production VM (unmanaged) is the one the incoming DR copy was copied from. */
    @Test
    void theOriginalOfTheIncomingCopyIsAdoptedButOnlyItAndNeverWhenRunningOrActivated() {
        ObjectNode original = vm(2);
        original.withObjectProperty("metadata").put("uid", "prod-uid").remove("labels");
        ObjectNode incoming = vm(4);
        incoming.withObjectProperty("metadata")
                .withObjectProperty("annotations")
                .put(Annotations.SOURCE_UID, "dr-uid")
                .put(Annotations.ORIGIN_UID, "prod-uid");
        DrSafety.Verdict v = decide(false, original, false, e1, incoming, true, false);
        is(v, DrSafety.Outcome.APPLY, ReasonCodes.ADOPTED);
        assertThat(v.reason()).contains("apps/web").contains("prod-uid").contains("adopted");

        ObjectNode other = original.deepCopy();
        other.withObjectProperty("metadata").put("uid", "someone-elses");
        is(decide(false, other, false, e1, incoming, true, false), DrSafety.Outcome.REFUSE, ReasonCodes.UNMANAGED_VM);
        ObjectNode noUid = original.deepCopy();
        noUid.withObjectProperty("metadata").remove("uid");
        is(decide(false, noUid, false, e1, incoming, true, false), DrSafety.Outcome.REFUSE, ReasonCodes.UNMANAGED_VM);
        // the source uid is the DR VM's own: only the recorded origin adopts
        ObjectNode sourceOnly = incoming.deepCopy();
        sourceOnly
                .withObjectProperty("metadata")
                .withObjectProperty("annotations")
                .put(Annotations.SOURCE_UID, "prod-uid")
                .remove(Annotations.ORIGIN_UID);
        is(
                decide(false, original, false, e1, sourceOnly, true, false),
                DrSafety.Outcome.REFUSE,
                ReasonCodes.UNMANAGED_VM);
        is(decide(false, original, false, e1, null, true, false), DrSafety.Outcome.REFUSE, ReasonCodes.UNMANAGED_VM);

        ObjectNode running = original.deepCopy();
        running.withObjectProperty("spec").put("runStrategy", "Always");
        is(decide(false, running, true, e1, incoming, true, false), DrSafety.Outcome.SKIP, ReasonCodes.RUNNING);
        is(
                decide(false, activated(original), false, e1, incoming, true, false),
                DrSafety.Outcome.SKIP,
                ReasonCodes.VM_ACTIVATED);
        is(decide(true, original, false, e1, incoming, true, false), DrSafety.Outcome.SKIP, ReasonCodes.ACTIVATED);
    }

    @Test
    void aRunningVmIsSkippedHoweverItRunsEvenWithRollbackAllowed() {
        ObjectNode always = written(e1, 2);
        always.withObjectProperty("spec").put("runStrategy", "Always");
        ObjectNode starting = written(e1, 2);
        starting.withObjectProperty("status").put("printableStatus", "Starting");
        ObjectNode legacy = written(e1, 2);
        legacy.withObjectProperty("spec").remove("runStrategy");
        legacy.withObjectProperty("spec").put("running", true);
        is(decide(false, written(e1, 2), true, e2, vm(4), true, true), DrSafety.Outcome.SKIP, ReasonCodes.RUNNING);
        for (ObjectNode vm : List.of(always, starting, legacy)) {
            is(decide(false, vm, false, e2, vm(4), true, true), DrSafety.Outcome.SKIP, ReasonCodes.RUNNING);
        }
    }

    @Test
    void anOlderRevisionIsSkippedUnlessRollbackIsAllowedAndNewerOrUnknownIsApplied() {
        ObjectNode current = written(e2, 4);
        is(decide(false, current, false, e1, vm(2), true, false), DrSafety.Outcome.SKIP, ReasonCodes.OLDER_REVISION);
        is(decide(false, current, false, e1, vm(2), true, true), DrSafety.Outcome.APPLY, ReasonCodes.CHANGED);
        is(decide(false, written(e1, 2), false, e2, vm(4), true, false), DrSafety.Outcome.APPLY, ReasonCodes.CHANGED);
        is(decide(false, current, false, null, vm(2), true, false), DrSafety.Outcome.APPLY, ReasonCodes.CHANGED);
    }

    @Test
    void theDesiredHashAlreadyThereIsUnchangedAndWithoutADesiredObjectNothingIsCalledUnchanged() {
        ObjectNode current = written(e1, 2);
        ObjectNode desired = Trace.stamp(vm(2), Trace.of("prod", "set-9", e1));
        is(decide(false, current, false, e1, desired, true, false), DrSafety.Outcome.UNCHANGED, ReasonCodes.UNCHANGED);
        is(decide(false, current, false, e1, null, true, false), DrSafety.Outcome.APPLY, ReasonCodes.CHANGED);
        ObjectNode unstamped = vm(2);
        ObjectNode unstampedCurrent = vm(2);
        is(
                decide(false, unstampedCurrent, false, null, unstamped, true, false),
                DrSafety.Outcome.APPLY,
                ReasonCodes.CHANGED);
    }

    @Test
    void pruneAsksTheSameRules() {
        ObjectNode halted = written(e1, 2);
        ObjectNode running = written(e1, 2);
        running.withObjectProperty("spec").put("runStrategy", "Always");
        assertThat(SyncPlanner.mayDelete(new DrVm(halted, false), false)).isTrue();
        assertThat(SyncPlanner.mayDelete(new DrVm(halted, false), true)).isFalse();
        assertThat(SyncPlanner.mayDelete(new DrVm(activated(halted), false), false))
                .isFalse();
        assertThat(SyncPlanner.mayDelete(new DrVm(running, false), false)).isFalse();
    }
}
