import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Appends a folder to the launcher as the payload the launcher unpacks (format in launcher.c), and names it by a
 * SHA-256 over paths, modes, times and contents. Usage: java Pack.java LAUNCHER FOLDER OUTPUT
 */
public final class Pack {
    private static final int STORED = 0x80000000;

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args[0]);
        Path root = Path.of(args[1]);
        Path output = Path.of(args[2]);
        Files.createDirectories(output.toAbsolutePath().getParent());
        List<Path> files;
        try (var walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        long offset;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            byte[] exe = Files.readAllBytes(launcher);
            out.write(exe);
            offset = exe.length;
            for (Path f : files) {
                String rel = root.relativize(f).toString();
                byte[] path = rel.getBytes(StandardCharsets.UTF_8);
                byte[] content = Files.readAllBytes(f);
                int mode = mode(Files.getPosixFilePermissions(f));
                long mtime = Files.getLastModifiedTime(f).toMillis() / 1000;
                byte[] compressed = zstd(f);
                if (compressed.length > content.length * 0.9) {
                    // what barely shrinks is stored: unpacking is then a copy
                    compressed = content;
                    mode |= STORED;
                }
                ByteBuffer head = ByteBuffer.allocate(6 + path.length + 28).order(ByteOrder.LITTLE_ENDIAN);
                head.put("VMCE".getBytes(StandardCharsets.US_ASCII))
                        .putShort((short) path.length)
                        .put(path)
                        .putInt(mode)
                        .putLong(mtime)
                        .putLong(content.length)
                        .putLong(compressed.length);
                out.write(head.array());
                out.write(compressed);
                sha.update(head.array());
                sha.update(content);
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 32);
            ByteBuffer trailer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            trailer.put("VMCONFIG-PAYLOAD".getBytes(StandardCharsets.US_ASCII))
                    .putLong(offset)
                    .putLong(files.size())
                    .put(hash.getBytes(StandardCharsets.US_ASCII));
            out.write(trailer.array());
            System.out.println("payload " + hash + ": " + files.size() + " files");
        }
        Files.setPosixFilePermissions(
                tmp,
                Set.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE,
                        PosixFilePermission.GROUP_READ,
                        PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_EXECUTE));
        Files.move(
                tmp,
                output,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * One zstd frame, level 9 with a 128 MiB window (--long=27): the jar and the jimage are stored uncompressed in
     * the folder, and their classes repeat each other over megabytes, which zlib's 32 KiB window cannot see.
     */
    private static byte[] zstd(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("zstd", "-q", "-f", "-9", "-T2", "--long=27", "-c", file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException("zstd failed on " + file);
        }
        return out;
    }

    private static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
    }
}
