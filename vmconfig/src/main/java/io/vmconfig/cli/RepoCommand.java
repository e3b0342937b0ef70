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

/** {@code vmconfig repo init}: creates the root object of a new repository. */
@Command(name = "repo", mixinStandardHelpOptions = true, description = "Manages the repository itself.")
public final class RepoCommand {
    private final RepoEnvironment env;

    @Spec
    CommandSpec spec;

    public RepoCommand(RepoEnvironment env) {
        this.env = env;
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Creates a repository whose sets may be signed by the given public keys.")
    int init(@Mixin RepoOptions repo,
             @Option(names = "--signer", required = true, paramLabel = "FILE",
                     description = "public key allowed to sign sets (signing.pub; repeatable)") List<Path> signers) {
        if (repo.key == null) {
            throw io.vmconfig.core.VmConfigException.config("--key FILE (the repository key) is required");
        }
        RootObject root = RepoInit.init(repo.store(env), signers.stream().map(KeyFiles::publicKey).toList(),
                repo.repositoryKey().orElseThrow(), env.clock(), env.random());
        spec.commandLine().getOut().println("initialised repository " + root.repositoryId() + " (format version "
                + root.version() + ", " + root.signers().size() + " signer(s))");
        return ExitCodes.OK;
    }
}
