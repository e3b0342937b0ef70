package io.vmconfig.adapters.fs;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.ObjectNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A repository in a local folder, the embedded default (repository-format.md §1). A put writes a temporary file in
 * the target folder and renames it into place, so readers see the whole object or none. With {@link
 * Durability#EVERY_PUT} it forces the file to disk before the rename; with {@link Durability#AT_SYNC} (the Velero
 * plugin's staging, one VM per Execute) it leaves that to {@link #sync}, which the sealer calls for every staged
 * object before it writes the set that names them (§11): a crash before the seal can lose staged objects, never a
 * sealed set's.
 */
public final class FolderBlobStore implements BlobStore {
    private static final String TMP = ".tmp-";
    private final Path root;
    private final Durability durability;
    private static final Set<StandardOpenOption> CREATE_NEW_WRITE =
            java.util.EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            java.util.EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    private final boolean posix;
    /** Folders this store made or found, so a put checks its folder once (a put into a removed one makes it again). */
    private final Set<Path> folders = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** At most this many folders are remembered (a staging run makes one per namespace). */
    static final int FOLDERS_KEPT = 4096;

    /** When a put reaches the disk. */
    public enum Durability {
        /** Each put forces its file before it returns. */
        EVERY_PUT,
        /** Puts return once renamed; {@link #sync} forces the files and their folders. */
        AT_SYNC
    }

    public FolderBlobStore(Path root) {
        this(root, Durability.EVERY_PUT);
    }

    public FolderBlobStore(Path root, Durability durability) {
        this.root = root.toAbsolutePath().normalize();
        this.durability = durability;
        this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private Path path(String name) {
        if (!ObjectNames.valid(name)) {
            throw VmConfigException.invalid("invalid object name '" + name + "'");
        }
        return root.resolve(name);
    }

    /**
     * Writes {@code data} to a new temporary file beside the target and renames it into place: one open, one write,
     * one rename (the temporary file is owner-only, as {@link Files#createTempFile} would make it, and the folder is
     * created once per store rather than checked on every put: a staging Execute puts two objects, and those checks
     * were half the syscalls of a put).
     */
    @Override
    public void put(String name, byte[] data) {
        Path target = path(name);
        Path folder = target.getParent();
        try {
            if (!folders.contains(folder)) {
                Files.createDirectories(folder);
                if (folders.size() >= FOLDERS_KEPT) {
                    folders.clear(); // a long-lived store forgets, and checks each folder once more
                }
                folders.add(folder);
            }
            Path tmp;
            try {
                tmp = writeTemporary(folder, data);
            } catch (NoSuchFileException e) {
                // the folder went away since this store made it (emptied by hand): make it again, once
                Files.createDirectories(folder);
                tmp = writeTemporary(folder, data);
            }
            boolean moved = false;
            try {
                move(tmp, target);
                moved = true;
            } finally {
                if (!moved) {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw io("write", name, e);
        }
    }

    /** A new file named {@code .tmp-<random>} in {@code folder} holding {@code data}, forced with EVERY_PUT. */
    private Path writeTemporary(Path folder, byte[] data) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = folder.resolve(
                    TMP + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            FileChannel ch;
            try {
                ch = posix
                        ? FileChannel.open(tmp, CREATE_NEW_WRITE, OWNER_ONLY)
                        : FileChannel.open(tmp, CREATE_NEW_WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 8) {
                    throw e;
                }
                continue;
            }
            try (ch) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durability == Durability.EVERY_PUT) {
                    ch.force(true);
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return tmp;
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

    /**
     * Forces each named file and then each folder holding one (a rename is durable once its folder is); an absent
     * object is skipped: whoever names it read it first.
     */
    @Override
    public void sync(Collection<String> names) {
        Set<Path> folders = new TreeSet<>();
        for (String name : names) {
            Path file = path(name);
            try {
                force(file, StandardOpenOption.WRITE);
                folders.add(file.getParent());
            } catch (NoSuchFileException e) {
                // not there: nothing to make durable
            } catch (IOException e) {
                throw io("sync", name, e);
            }
        }
        for (Path folder : folders) {
            try {
                force(folder, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new VmConfigException(
                        VmConfigException.Kind.IO,
                        "cannot sync folder " + folder + ": " + e.getClass().getSimpleName(),
                        e);
            }
        }
    }

    private static void force(Path p, StandardOpenOption mode) throws IOException {
        try (FileChannel ch = FileChannel.open(p, mode)) {
            ch.force(true);
        }
    }

    private VmConfigException io(String op, String name, IOException e) {
        return new VmConfigException(
                VmConfigException.Kind.IO,
                "cannot " + op + " " + root.resolve(name) + ": " + e.getClass().getSimpleName(),
                e);
    }
}
