package io.vmconfig.core.restore;

import io.vmconfig.core.VmConfigException;

/** What to do with a claim that no pair or rule maps. */
public enum UnmappedPolicy {
    /** Block the VM, naming the claim: never restore a VM with a fresh disk by accident. */
    FAIL("fail"),
    /** Keep the claim's templates so that the copy gets new disks (for test copies). */
    CREATE_EMPTY("create-empty");

    private final String key;

    UnmappedPolicy(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static UnmappedPolicy parse(String text, String where) {
        for (UnmappedPolicy p : values()) {
            if (p.key.equals(text)) {
                return p;
            }
        }
        throw VmConfigException.config(where + ": unmapped '" + text + "' is not one of fail, create-empty");
    }
}
