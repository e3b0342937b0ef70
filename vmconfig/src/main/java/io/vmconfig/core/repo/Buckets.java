package io.vmconfig.core.repo;

import io.vmconfig.core.vm.VmRef;
import java.nio.charset.StandardCharsets;

/** Which sub-manifest bucket a VM goes to (repository-format.md §6). */
public final class Buckets {
    private Buckets() {}

    /** First 4 bytes of SHA-256("namespace/name") as an unsigned int, mod {@code fanout}. */
    public static int of(VmRef vm, int fanout) {
        String hex = Digest.sha256(vm.toString().getBytes(StandardCharsets.UTF_8))
                .hex()
                .substring(0, 8);
        return (int) (Long.parseLong(hex, 16) % fanout);
    }
}
