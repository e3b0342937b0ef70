package io.vmconfig.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** What a command that writes signed sets takes: {@code --repo}, {@code --signing-key}, {@code --key}. */
    public static String[] writer(String repo, String keys) {
        return new String[] {"--repo", repo, "--signing-key", keys + "/signing.key", "--key", keys + "/repository.key"};
    }

    /** What a command that reads signed sets takes: {@code --repo}, {@code --verify-key}, {@code --key}. */
    public static String[] verifier(String repo, String keys) {
        return new String[] {"--repo", repo, "--verify-key", keys + "/signing.pub", "--key", keys + "/repository.key"};
    }

    /** What a command that reads sets into a DR cluster takes: {@link #verifier} and {@code --map}. */
    public static String[] reader(String repo, String keys, String map) {
        return args(verifier(repo, keys), "--map", map);
    }

    /**
     * A command line of words and arrays of words ({@link #writer}, a cluster's context arguments, other such lines),
     * in order.
     */
    public static String[] args(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof Object[] words) {
                out.addAll(List.of(args(words)));
            } else {
                out.add((String) p);
            }
        }
        return out.toArray(String[]::new);
    }
}
