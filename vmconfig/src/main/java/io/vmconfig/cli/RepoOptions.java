package io.vmconfig.cli;

import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.Trust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every repository command shares: where the repository is, and how to trust and decrypt it. */
public final class RepoOptions {
    @Option(
            names = "--repo",
            paramLabel = "URL",
            description = "repository: a folder (PATH or file:///PATH) or s3://BUCKET/PREFIX?endpoint=URL"
                    + "[&region=R][&pathStyle=true][&caBundle=FILE][&credentials=FILE&profile=NAME]")
    String repo;

    @Option(
            names = "--verify-key",
            paramLabel = "FILE",
            description = "Ed25519 public key that set signatures must verify against (repeatable)")
    List<Path> verifyKeys = new ArrayList<>();

    @Option(names = "--insecure-skip-verify", description = "read sets without checking their signatures")
    boolean insecureSkipVerify;

    @Option(names = "--key", paramLabel = "FILE", description = "repository key: decrypts bundles with Secret data")
    Path key;

    boolean given() {
        return repo != null;
    }

    BlobStore store(RepoEnvironment env) {
        if (repo == null) {
            throw io.vmconfig.core.VmConfigException.config("--repo URL is required");
        }
        return env.opener().open(repo);
    }

    Trust trust() {
        if (insecureSkipVerify) {
            return Trust.insecure();
        }
        return Trust.keys(verifyKeys.stream().map(KeyFiles::publicKey).toList());
    }

    Optional<RepositoryKey> repositoryKey() {
        return Optional.ofNullable(key).map(KeyFiles::repositoryKey);
    }

    RepoReader reader(RepoEnvironment env) {
        return new RepoReader(store(env), trust(), repositoryKey());
    }
}
