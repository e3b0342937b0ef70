package io.vmconfig.cli;

import io.vmconfig.core.repo.RepoInit;
import io.vmconfig.core.repo.RootObject;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmconfig repo init}: creates the root object of a new repository; {@code vmconfig repo upgrade}: moves
 * the root of a version 1 repository to the current format version, keeping all history (repository-format.md §12).
 */
@Command(name = "repo", mixinStandardHelpOptions = true, description = "Manages the repository itself.")
public final class RepoCommand {
    private final RepoEnvironment env;

    @Spec
    CommandSpec spec;

    public RepoCommand(RepoEnvironment env) {
        this.env = env;
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = "Creates a repository whose sets may be signed by the given public keys.")
    int init(
            @Mixin RepoOptions repo,
            @Option(
                            names = "--signer",
                            required = true,
                            paramLabel = "FILE",
                            description = "public key allowed to sign sets (signing.pub; repeatable)")
                    List<Path> signers) {
        if (repo.key == null) {
            throw io.vmconfig.core.VmConfigException.config("--key FILE (the repository key) is required");
        }
        RootObject root = RepoInit.init(
                repo.store(env),
                signers.stream().map(KeyFiles::publicKey).toList(),
                repo.repositoryKey().orElseThrow(),
                env.clock(),
                env.random());
        spec.commandLine()
                .getOut()
                .println("initialised repository " + root.repositoryId() + " (format version " + root.version() + ", "
                        + root.signers().size() + " signer(s))");
        return ExitCodes.OK;
    }

    @Command(
            name = "upgrade",
            mixinStandardHelpOptions = true,
            header = "Moves the repository to the current format version without rewriting any set or bundle.",
            description = {
                "Moves the repository to the current format version. Rewrites vmconfig.json only: every",
                "set, sub-manifest and bundle stays as it is and readable. Stop every older writer first."
            })
    int upgrade(@Mixin RepoOptions repo) {
        if (repo.key == null) {
            throw io.vmconfig.core.VmConfigException.config("--key FILE (the repository key) is required");
        }
        io.vmconfig.core.repo.BlobStore store = repo.store(env);
        int before = io.vmconfig.core.repo.RepoReader.readRoot(store).version();
        RootObject root = RepoInit.upgrade(store, repo.repositoryKey().orElseThrow());
        spec.commandLine()
                .getOut()
                .println(
                        before == root.version()
                                ? "repository " + root.repositoryId() + " is already format version " + root.version()
                                : "upgraded repository " + root.repositoryId() + " from format version " + before
                                        + " to " + root.version() + "; history is unchanged");
        return ExitCodes.OK;
    }
}
