package io.vmconfig.cli;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
            Files.writeString(file, base64 + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            if (secret) {
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's permissions apply
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new VmConfigException(VmConfigException.Kind.REFUSED, file + " exists; keys are never overwritten");
        } catch (IOException e) {
            throw VmConfigException.config("cannot write " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
