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

    /** Applies when {@code pattern} is found in the claim name; the first match is replaced by {@code replace}. */
    record Regex(Pattern pattern, String replace, int index) implements ClaimRule {
        @Override
        public Optional<String> apply(String claim) {
            Matcher m = pattern.matcher(claim);
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
}
