package io.vmconfig.cli;

import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.SigningKeys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmconfig keys generate}: an Ed25519 signing pair and a repository key, in files. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Creates the keys a repository needs.")
public final class KeysCommand {
    private final RepoEnvironment env;

    @Spec
    CommandSpec spec;

    public KeysCommand(RepoEnvironment env) {
        this.env = env;
    }

    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            header = "Writes a new signing key pair and repository key into a folder, never overwriting one.",
            description = {
                "Writes DIR/signing.key (Ed25519 private, keep on the production side),",
                "DIR/signing.pub (give to the DR side and to 'repo init') and DIR/repository.key",
                "(AES-256-GCM for Secret data, both sides). Existing files are never overwritten."
            })
    int generate(
            @Option(
                            names = "--out",
                            required = true,
                            paramLabel = "DIR",
                            description = "folder to write the three key files into (created when missing)")
                    Path out) {
        for (String name : new String[] {"signing.key", "signing.pub", "repository.key"}) {
            if (java.nio.file.Files.exists(out.resolve(name))) {
                throw new io.vmconfig.core.VmConfigException(
                        io.vmconfig.core.VmConfigException.Kind.REFUSED,
                        out.resolve(name) + " exists; keys are never overwritten");
            }
        }
        KeyPair pair = SigningKeys.generate(env.random());
        KeyFiles.write(out.resolve("signing.key"), SigningKeys.encodePrivate(pair.getPrivate()), true);
        KeyFiles.write(out.resolve("signing.pub"), SigningKeys.encodePublic(pair.getPublic()), false);
        KeyFiles.write(
                out.resolve("repository.key"),
                Base64.getEncoder().encodeToString(RepositoryKey.generate(env.random())),
                true);
        spec.commandLine()
                .getOut()
                .println("wrote " + out.resolve("signing.key") + ", " + out.resolve("signing.pub") + " (key id "
                        + SigningKeys.keyId(pair.getPublic()) + ") and " + out.resolve("repository.key"));
        return ExitCodes.OK;
    }
}
