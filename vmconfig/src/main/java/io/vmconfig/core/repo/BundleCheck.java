package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;

/** The checks on a bundle's stored bytes that need no key (repository-format.md §6, §7 step 4). */
final class BundleCheck {
    private BundleCheck() {}

    static void stored(Entry e, byte[] stored) {
        if (stored.length != e.size()) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    e.objectName() + " has " + stored.length + " bytes, the set records " + e.size());
        }
        Digest actual = Digest.sha256(stored);
        if (!actual.equals(e.sha256())) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY, e.objectName() + " does not match the sha256 its set records");
        }
        if (!e.encrypted() && !e.compressed() && !actual.equals(e.bundle().digest())) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, e.objectName() + " does not match its name");
        }
    }

    /** After decrypting and inflating: the plaintext is the content the entry names (§5.3). */
    static void plain(Entry e, byte[] plain) {
        if (!e.encrypted() && !Digest.sha256(plain).equals(e.bundle().digest())) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    e.objectName() + " does not inflate to the bundle its entry names");
        }
    }
}
