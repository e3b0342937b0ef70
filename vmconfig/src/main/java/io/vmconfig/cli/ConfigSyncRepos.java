package io.vmconfig.cli;

import io.vmconfig.adapters.files.OwnerOnlyFiles;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.SigningKeys;
import io.vmconfig.core.repo.Trust;
import io.vmconfig.service.sync.ConfigSyncRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Opens a ConfigSync's repository as {@code --repo}, {@code --verify-key} and {@code --key} would: the S3 credentials
 * text from its Secret goes to an owner-only file in a private temporary folder (the S3 adapter reads credentials
 * files, as the Deployment's mounted Secret is one), named in the URL; the keys are decoded in memory. Sets are
 * always verified: a ConfigSync without verifyKeySecretRef is refused.
 */
final class ConfigSyncRepos implements ConfigSyncRunner.RepoAccess {
    private final RepoEnvironment env;

    ConfigSyncRepos(RepoEnvironment env) {
        this.env = env;
    }

    @Override
    public RepoReader open(
            String url, Optional<String> credentials, Optional<String> verifyKeys, Optional<String> repositoryKey) {
        String target = url;
        if (credentials.isPresent()) {
            if (!url.startsWith("s3://")) {
                throw VmConfigException.config("repository " + url + ": credentialsSecretRef is only for s3:// URLs");
            }
            target = url + (url.contains("?") ? "&" : "?") + "credentials=" + credentialsFile(credentials.get())
                    + (url.contains("profile=") ? "" : "&profile=default");
        }
        Trust trust = Trust.keys(Arrays.stream(verifyKeys
                        .orElseThrow(() -> VmConfigException.config(
                                "a ConfigSync must name spec.verifyKeySecretRef: sets are always verified"))
                        .split("\\s+"))
                .filter(k -> !k.isBlank())
                .map(SigningKeys::decodePublic)
                .toList());
        return new RepoReader(
                env.opener().open(target), trust, repositoryKey.map(k -> RepositoryKey.decode(k.strip())));
    }

    private static Path credentialsFile(String text) {
        try {
            Path dir = Files.createTempDirectory("vmconfig-configsync-");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("credentials");
            OwnerOnlyFiles.createNew(file, text.getBytes(StandardCharsets.UTF_8));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new VmConfigException(
                    VmConfigException.Kind.IO,
                    "cannot stage the ConfigSync's S3 credentials: "
                            + e.getClass().getSimpleName());
        }
    }
}
