package io.vmconfig.cli;

import io.vmconfig.adapters.files.OwnerOnlyFiles;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.PublicKey;

/** Key files: one base64 line each; secret ones are created owner-only and never overwritten. */
final class KeyFiles {
    private KeyFiles() {}

    static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw VmConfigException.config("cannot read " + what + " " + file);
        }
    }

    static PublicKey publicKey(Path file) {
        return SigningKeys.decodePublic(read(file, "public key"));
    }

    static PrivateKey privateKey(Path file) {
        return SigningKeys.decodePrivate(read(file, "signing key"));
    }

    static RepositoryKey repositoryKey(Path file) {
        return RepositoryKey.decode(read(file, "repository key"));
    }

    static void write(Path file, String base64, boolean secret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] line = (base64 + "\n").getBytes(StandardCharsets.UTF_8);
            if (secret) {
                OwnerOnlyFiles.createNew(file, line); // 0600 from creation on: no window with wider permissions
            } else {
                Files.write(file, line, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        } catch (FileAlreadyExistsException e) {
            throw new VmConfigException(VmConfigException.Kind.REFUSED, file + " exists; keys are never overwritten");
        } catch (IOException e) {
            throw VmConfigException.config(
                    "cannot write " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
