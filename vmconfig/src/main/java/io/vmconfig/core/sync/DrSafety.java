package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.RevisionOrder;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;
import java.util.Objects;
import java.util.Optional;

/**
 * The one home of the DR-safety rules: may vmconfig write this VM on DR now? Called by sync and {@code plan}
 * ({@link SyncPlanner}), {@code restore --context} (the same planner), the plugin's vm-restore and the applier's
 * last-moment guard (on the VM it is about to overwrite, read again). Pure; the verdict carries a reason code
 * ({@link ReasonCodes}) that metrics, Events and exit codes read, and a message for people that nothing parses.
 *
 * <p>The rules, in order: the DR site activated, or this VM activated, leaves it alone (skip); a VM whose restore
 * or pre-flight failed is refused (the caller keeps every reason); no VM there is written (absent); a running VM is
 * skipped (never modified, whoever manages it); a same-named halted VM not managed by vmconfig is adopted when it
 * is the very VM the incoming one was copied from (failback: its uid is the incoming {@code vmconfig.io/origin-uid})
 * and refused otherwise; an older revision than the one applied is skipped unless a rollback is allowed; the desired hash already there is unchanged; else it is written.
 */
public final class DrSafety {
    private DrSafety() {}

    /** What the caller does with a VM. */
    public enum Outcome {
        /** Write it (create or update). */
        APPLY,
        /** Nothing to write: it is in step. */
        UNCHANGED,
        /** Left alone on purpose (activated, running, older revision): not a failure of the VM. */
        SKIP,
        /** Must not be written and needs someone: blocked (restore failed, a foreign VM in the way). */
        REFUSE
    }

    /** The decision for one VM: what to do, its reason code, and a sentence saying why. */
    public record Verdict(Outcome outcome, String code, String reason) {
        public Verdict {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }

        public boolean writes() {
            return outcome == Outcome.APPLY;
        }
    }

    /**
     * What the rules look at. {@code target} the DR VM's name (may be null when the restore could not place it);
     * {@code current} the DR VM as read (empty: none); {@code incoming} the revision about to be written, if known;
     * {@code desired} the object about to be written, if known (empty: "unchanged" is not decided);
     * {@code restorable} false when the restore or its pre-flight failed.
     */
    public record Facts(
            VmRef target,
            boolean siteActivated,
            Optional<DrVm> current,
            Optional<Entry> incoming,
            Optional<ObjectNode> desired,
            boolean restorable,
            boolean allowRollback) {
        public Facts {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(incoming, "incoming");
            Objects.requireNonNull(desired, "desired");
        }
    }

    public static Verdict decide(Facts f) {
        String what = f.target() == null ? "this VM" : f.target().toString();
        if (f.siteActivated()) {
            return new Verdict(
                    Outcome.SKIP,
                    ReasonCodes.ACTIVATED,
                    "the DR site is activated: nothing is applied until 'vmconfig deactivate --all'");
        }
        Optional<DrVm> current = f.current();
        if (current.isPresent() && current.get().activated()) {
            return new Verdict(
                    Outcome.SKIP,
                    ReasonCodes.VM_ACTIVATED,
                    what + " was activated on DR at "
                            + current.get().annotation(Annotations.ACTIVATED_AT).orElse("?")
                            + ": left alone until 'vmconfig deactivate " + what + "'");
        }
        if (!f.restorable()) {
            return new Verdict(Outcome.REFUSE, ReasonCodes.RESTORE_FAILED, what + " cannot be restored");
        }
        if (current.isEmpty()) {
            return new Verdict(Outcome.APPLY, ReasonCodes.ABSENT, what + " is not on DR yet");
        }
        DrVm cur = current.get();
        if (cur.running()) {
            return new Verdict(
                    Outcome.SKIP,
                    ReasonCodes.RUNNING,
                    what + " is running on DR (runStrategy "
                            + cur.vm().path("spec").path("runStrategy").asText("-") + ", status "
                            + cur.vm().path("status").path("printableStatus").asText("-")
                            + "): a running VM is never modified");
        }
        if (!cur.managed()) {
            Optional<String> uid = Json.textAt(cur.vm(), "metadata", "uid").filter(u -> !u.isEmpty());
            if (uid.isPresent()
                    && f.desired()
                            .flatMap(d -> Json.textAt(d, "metadata", "annotations", Annotations.ORIGIN_UID))
                            .equals(uid)) {
                return new Verdict(
                        Outcome.APPLY,
                        ReasonCodes.ADOPTED,
                        what + " is not managed by vmconfig but is"
                                + " the VM the incoming one was copied from (uid " + uid.get()
                                + "): adopted, updated in place,"
                                + " halted");
            }
            return new Verdict(
                    Outcome.REFUSE,
                    ReasonCodes.UNMANAGED_VM,
                    "a VM not managed by vmconfig (no " + Annotations.MANAGED_LABEL + " label) exists as " + what
                            + ": not modified");
        }
        Optional<Entry> applied = cur.applied();
        if (!f.allowRollback()
                && f.incoming().isPresent()
                && applied.isPresent()
                && f.incoming().get().against(applied.get()) == RevisionOrder.OLDER) {
            Entry in = f.incoming().get();
            return new Verdict(
                    Outcome.SKIP,
                    ReasonCodes.OLDER_REVISION,
                    what + ": revision " + in.revision()
                            + " (generation " + in.generation() + ", captured " + in.capturedAt()
                            + ") is older than the one applied on DR (revision "
                            + applied.get().revision() + ", generation "
                            + applied.get().generation() + ", captured "
                            + applied.get().capturedAt()
                            + "); pass --allow-rollback to roll back");
        }
        if (f.desired().isPresent() && Trace.unchanged(cur.vm(), f.desired().get())) {
            return new Verdict(Outcome.UNCHANGED, ReasonCodes.UNCHANGED, what + " is in step");
        }
        return new Verdict(Outcome.APPLY, ReasonCodes.CHANGED, what + " differs from the set");
    }
}
