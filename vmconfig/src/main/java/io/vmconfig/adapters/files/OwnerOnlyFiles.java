package io.vmconfig.adapters.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one way the CLI creates a file that may hold a secret (a key, decrypted Secret data): created new with mode
 * 0600 in the same system call that creates it, so there is no moment at which it has wider permissions.
 */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {}

    /** Creates {@code file} (it must not exist) owner-only and writes {@code data}, forced to disk. */
    public static void createNew(Path file, byte[] data) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attrs =
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                        ? new FileAttribute<?>[] {
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                        }
                        : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(file, options, attrs)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }
}
