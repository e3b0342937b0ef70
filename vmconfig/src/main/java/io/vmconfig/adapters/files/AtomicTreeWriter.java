package io.vmconfig.adapters.files;

import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a set of files so that readers never see half of it: everything is written and flushed in a staging
 * folder first. A new output folder then appears in one rename; into an existing folder each file is renamed into
 * place, so every file is either the old or the new one, never a torn write. On failure the staging folder is
 * removed and the output is untouched. Every file is created owner-only (0600) from the start: the output may hold
 * decrypted Secret data, and an existing folder's permissions must not expose it for a moment.
 */
public final class AtomicTreeWriter {
    private AtomicTreeWriter() {}

    /** Writes {@code files} (relative path to content) under {@code outDir}. */
    public static void write(Path outDir, Map<String, String> files) {
        try (Staged staged = open(outDir)) {
            files.forEach(staged::add);
            staged.commit();
        }
    }

    /**
     * The same, a file at a time, so that a restore of 100,000 VMs never holds every file's text (docs/architecture.md,
     * "Memory"): each {@link Staged#add} writes into the hidden staging folder at once, {@link Staged#commit} moves
     * everything into place, and closing without a commit removes the staging folder and leaves the output untouched.
     */
    public static Staged open(Path outDir) {
        Path target = outDir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        boolean fresh = !Files.exists(target);
        try {
            Files.createDirectories(parent);
            Path staging = fresh
                    ? Files.createTempDirectory(parent, "." + target.getFileName() + ".staging-")
                    : Files.createTempDirectory(target, ".vmconfig-staging-");
            return new Staged(outDir, target, fresh, staging);
        } catch (IOException e) {
            throw failed(outDir, e);
        }
    }

    /**
     * One file of {@code outDir} written as a stream into an owner-only temporary file beside the output folder, and
     * moved into place by {@link Pending#place} once the output is (the folder must exist then); closing it unplaced
     * removes it. A restore writes its applied-revisions record this way while it walks the set, so that the record
     * of 100,000 VMs is never held (docs/architecture.md, "Memory").
     */
    public static Pending pending(Path outDir, String rel) {
        Path target = outDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".pending-", ".tmp");
            return new Pending(outDir, target, rel, tmp, Files.newOutputStream(tmp));
        } catch (IOException e) {
            throw failed(outDir, e);
        }
    }

    /** A file being written beside the output folder, not yet in it. */
    public static final class Pending implements AutoCloseable {
        private final Path outDir;
        private final Path target;
        private final String rel;
        private final OutputStream out;
        private Path tmp;

        private Pending(Path outDir, Path target, String rel, Path tmp, OutputStream out) {
            this.outDir = outDir;
            this.target = target;
            this.rel = rel;
            this.tmp = tmp;
            this.out = new java.io.BufferedOutputStream(out, 1 << 16);
        }

        /** Where the file's bytes go; closed by {@link #place} or {@link #close}. */
        public OutputStream stream() {
            return out;
        }

        /** Flushes the file to disk and moves it to its place in the output folder. */
        public void place() {
            try {
                out.close();
                try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(tmp)) {
                    c.force(true);
                }
                move(tmp, resolveInside(target, rel));
                tmp = null;
            } catch (IOException e) {
                throw failed(outDir, e);
            }
        }

        @Override
        public void close() {
            if (tmp != null) {
                try {
                    out.close();
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort: a leftover hidden temporary file is harmless
                }
                tmp = null;
            }
        }
    }

    /** Files written so far into a staging folder, not yet visible under the output folder. */
    public static final class Staged implements AutoCloseable {
        private final Path outDir;
        private final Path target;
        private final boolean fresh;
        private Path staging;

        private Staged(Path outDir, Path target, boolean fresh, Path staging) {
            this.outDir = outDir;
            this.target = target;
            this.fresh = fresh;
            this.staging = staging;
        }

        /** Writes one file (owner-only) into the staging folder. */
        public void add(String rel, String content) {
            try {
                Path p = resolveInside(staging, rel);
                Files.createDirectories(p.getParent());
                OwnerOnlyFiles.createNew(p, content.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw failed(outDir, e);
            }
        }

        /** Moves what was written into place: a fresh output folder in one rename, else file by file. */
        public void commit() {
            try {
                if (fresh) {
                    move(staging, target);
                    staging = null;
                } else {
                    // the files are found in the staging folder, not remembered: a restore of 100,000 VMs keeps no
                    // list of their names (docs/architecture.md, "Memory")
                    try (Stream<Path> files = Files.walk(staging)) {
                        for (Path from : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                            Path to = resolveInside(
                                    target, staging.relativize(from).toString());
                            Files.createDirectories(to.getParent());
                            move(from, to);
                        }
                    }
                }
            } catch (IOException e) {
                throw failed(outDir, e);
            }
        }

        @Override
        public void close() {
            if (staging != null) {
                deleteTree(staging);
                staging = null;
            }
        }
    }

    private static VmConfigException failed(Path outDir, IOException e) {
        return new VmConfigException(
                VmConfigException.Kind.IO, "cannot write output to " + outDir + ": " + e.getMessage(), e);
    }

    private static Path resolveInside(Path root, String rel) {
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "output path '" + rel + "' leaves " + root);
        }
        return p;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover hidden staging folder is harmless
        }
    }
}
