package io.vmconfig.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The keys and repository a cluster test starts from, made through the CLI as an operator makes them. */
public final class TestRepository {
    private TestRepository() {}

    /** {@code vmconfig keys generate} into {@code dir/keys}; returns that folder. */
    public static String keys(Path dir) {
        String keys = dir.resolve("keys").toString();
        assertThat(Cli.run("keys", "generate", "--out", keys).code()).isZero();
        return keys;
    }

    /** {@code vmconfig repo init} of {@code repo}, signed by {@code keys}' signing.pub and keyed by its repository.key. */
    public static String init(String repo, String keys) {
        assertThat(Cli.run(
                                "repo",
                                "init",
                                "--repo",
                                repo,
                                "--signer",
                                keys + "/signing.pub",
                                "--key",
                                keys + "/repository.key")
                        .code())
                .isZero();
        return repo;
    }
}
