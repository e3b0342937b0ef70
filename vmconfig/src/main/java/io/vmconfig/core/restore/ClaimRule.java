package io.vmconfig.core.restore;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One name rule of a VolumeMap, tried in order after the explicit claim pairs. */
public sealed interface ClaimRule {
    /** The DR claim name for {@code claim}, if this rule applies to it. */
    Optional<String> apply(String claim);

    /** Describes the rule for messages, e.g. {@code rules[0] (regex ...)}. */
    String describe();

    /**
     * Applies when {@code pattern} is found in the claim name; the first match is replaced by {@code replace}. Java's
     * regex engine backtracks, so a careless rule ({@code (.*a){12}-root$}) can take exponential time: matching runs
     * under a budget of {@link #STEP_BUDGET} character reads, and a rule that exceeds it is an error naming the rule.
     */
    record Regex(Pattern pattern, String replace, int index) implements ClaimRule {
        /** Far above what any sane rule needs on a 253-character name, far below a noticeable delay. */
        public static final long STEP_BUDGET = 2_000_000;

        @Override
        public Optional<String> apply(String claim) {
            Matcher m = pattern.matcher(new Budgeted(claim, STEP_BUDGET, this));
            return m.find() ? Optional.of(m.replaceFirst(replace)) : Optional.empty();
        }

        @Override
        public String describe() {
            return "rules[" + index + "] (regex '" + pattern.pattern() + "' -> '" + replace + "')";
        }
    }

    /** Prepends a fixed string to every claim name. */
    record Prefix(String prefix, int index) implements ClaimRule {
        @Override
        public Optional<String> apply(String claim) {
            return Optional.of(prefix + claim);
        }

        @Override
        public String describe() {
            return "rules[" + index + "] (prefix '" + prefix + "')";
        }
    }

    /** Appends a fixed string to every claim name. */
    record Suffix(String suffix, int index) implements ClaimRule {
        @Override
        public Optional<String> apply(String claim) {
            return Optional.of(claim + suffix);
        }

        @Override
        public String describe() {
            return "rules[" + index + "] (suffix '" + suffix + "')";
        }
    }

    /** A name whose characters may be read only so many times, so that a backtracking regex cannot run away. */
    final class Budgeted implements CharSequence {
        private final String text;
        private final long[] left;
        private final ClaimRule rule;

        Budgeted(String text, long budget, ClaimRule rule) {
            this(text, new long[] {budget}, rule);
        }

        private Budgeted(String text, long[] left, ClaimRule rule) {
            this.text = text;
            this.left = left;
            this.rule = rule;
        }

        @Override
        public char charAt(int i) {
            if (--left[0] < 0) {
                throw io.vmconfig.core.VmConfigException.config("VolumeMap " + rule.describe() + " takes too long on"
                        + " claim '" + io.vmconfig.core.json.Printable.escape(text) + "' (more than "
                        + Regex.STEP_BUDGET
                        + " steps: nested quantifiers backtrack); simplify the regex");
            }
            return text.charAt(i);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), left, rule);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
