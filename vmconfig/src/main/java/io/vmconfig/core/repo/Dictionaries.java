package io.vmconfig.core.repo;

import java.util.Optional;

/**
 * The dictionaries a writer compresses with (repository-format.md §5.3): one for plain bundles, stored as it is,
 * and one trained from Secret-holding bundles, stored encrypted and used only for bundles that are encrypted too.
 */
record Dictionaries(Optional<Dictionary> plain, Optional<Dictionary> secret) {
    static final Dictionaries NONE = new Dictionaries(Optional.empty(), Optional.empty());

    static Dictionaries of(Parent p) {
        return new Dictionaries(p.dictionary(), p.secretDictionary());
    }
}
