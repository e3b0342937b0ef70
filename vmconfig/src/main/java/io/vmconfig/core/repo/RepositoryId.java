package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** 128 random bits naming one repository (repository-format.md §4). */
public record RepositoryId(String hex) {
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

    public RepositoryId {
        if (hex == null || !HEX32.matcher(hex).matches()) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, "not a repository id: " + hex);
        }
    }

    public static RepositoryId random(RandomGenerator random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return new RepositoryId(HexFormat.of().formatHex(b));
    }

    @Override
    public String toString() {
        return hex;
    }
}
