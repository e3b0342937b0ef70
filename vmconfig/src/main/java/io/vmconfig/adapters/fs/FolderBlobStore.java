package io.vmconfig.adapters.fs;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.ObjectNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A repository in a local folder, the embedded default (repository-format.md §1). A put writes a temporary file in
 * the target folder, forces it to disk and renames it into place, so readers see the whole object or none.
 */
public final class FolderBlobStore implements BlobStore {
    private static final String TMP = ".tmp-";
    private final Path root;

    public FolderBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path path(String name) {
        if (!ObjectNames.valid(name)) {
            throw VmConfigException.invalid("invalid object name '" + name + "'");
        }
        return root.resolve(name);
    }

    @Override
    public void put(String name, byte[] data) {
        Path target = path(name);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), TMP, "");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(data));
                    ch.force(true);
                }
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw io("write", name, e);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public Optional<byte[]> get(String name) {
        try {
            return Optional.of(Files.readAllBytes(path(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw io("read", name, e);
        }
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        try {
            BasicFileAttributes a = Files.readAttributes(path(name), BasicFileAttributes.class);
            return Optional.of(new BlobInfo(a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw io("stat", name, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(TMP))
                    .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(n -> n.startsWith(prefix))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new VmConfigException(VmConfigException.Kind.IO, "cannot list " + root + ": " + e.getMessage());
        }
    }

    @Override
    public void delete(String name) {
        try {
            Files.deleteIfExists(path(name));
        } catch (IOException e) {
            throw io("delete", name, e);
        }
    }

    private VmConfigException io(String op, String name, IOException e) {
        return new VmConfigException(
                VmConfigException.Kind.IO,
                "cannot " + op + " " + root.resolve(name) + ": " + e.getClass().getSimpleName(),
                e);
    }
}
