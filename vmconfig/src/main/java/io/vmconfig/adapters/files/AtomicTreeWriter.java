package io.vmconfig.adapters.files;

import io.vmconfig.core.VmConfigException;
import java.io.IOException;
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
        Path target = outDir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        boolean fresh = !Files.exists(target);
        Path staging = null;
        try {
            Files.createDirectories(parent);
            staging = fresh
                    ? Files.createTempDirectory(parent, "." + target.getFileName() + ".staging-")
                    : Files.createTempDirectory(target, ".vmconfig-staging-");
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = resolveInside(staging, f.getKey());
                Files.createDirectories(p.getParent());
                OwnerOnlyFiles.createNew(p, f.getValue().getBytes(StandardCharsets.UTF_8));
            }
            if (fresh) {
                move(staging, target);
                staging = null;
            } else {
                for (String rel : files.keySet()) {
                    Path to = resolveInside(target, rel);
                    Files.createDirectories(to.getParent());
                    move(resolveInside(staging, rel), to);
                }
            }
        } catch (IOException e) {
            throw new VmConfigException(
                    VmConfigException.Kind.IO, "cannot write output to " + outDir + ": " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
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
