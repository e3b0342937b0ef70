package io.vmconfig.core.sync;

import io.vmconfig.core.VmConfigException;

/**
 * A write the DR-safety decision refused at the last moment (the applier's guard, on the object read again): the
 * verdict travels with it, so exit codes, metrics and Events read its reason code, never its message.
 */
public final class SafetyRefused extends VmConfigException {
    private static final long serialVersionUID = 1L;
    private final transient DrSafety.Verdict verdict;

    public SafetyRefused(String action, DrSafety.Verdict verdict) {
        super(
                verdict.outcome() == DrSafety.Outcome.REFUSE ? Kind.BLOCKED : Kind.REFUSED,
                action + " refused: " + verdict.reason());
        this.verdict = verdict;
    }

    public DrSafety.Verdict verdict() {
        return verdict;
    }
}
