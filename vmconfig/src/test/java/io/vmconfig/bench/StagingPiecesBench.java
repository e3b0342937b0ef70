package io.vmconfig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.fs.FolderBlobStore;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.repo.BundleCompression;
import io.vmconfig.core.repo.Dictionary;
import io.vmconfig.core.repo.FreshDeflater;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two pieces of a staging Execute that the tenth session changed, each beside a reference written the way the
 * code did it before, in the same JVM: a folder put of a new object and of one that replaces an existing object
 * ({@link FolderBlobStore} against createDirectories + createTempFile + open + rename + deleteIfExists), and a bundle
 * frame's DEFLATE with and without a dictionary ({@link BundleCompression#frame}, reusing its streams, against a new
 * {@code Deflater} per bundle, {@link FreshDeflater}). Prints microseconds per operation, the median of 5 rounds. bench/staging-pieces runs
 * it on the plugin's own runtime and options, then on the build's JDK.
 * Arguments: FIXTURES_DIR EXAMPLES_DIR SCRATCH_DIR [OPERATIONS_PER_ROUND]
 */
public final class StagingPiecesBench {
    private StagingPiecesBench() {}

    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args[0]);
        Path examples = Path.of(args[1]);
        Path scratch = Files.createDirectories(Path.of(args[2]));
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
        List<byte[]> bundles = documents(fixtures);
        byte[] dictionary = dictionary(fixtures, examples);
        byte[] small = new byte[400];

        FolderBlobStore store = new FolderBlobStore(scratch.resolve("store"), FolderBlobStore.Durability.AT_SYNC);
        Path reference = scratch.resolve("reference");
        int[] round = {0};
        report(
                "put, new object",
                n,
                i -> store.put("staging/r" + round[0] + "/vms/ns/vm-" + i, small),
                i -> oldPut(reference.resolve("staging/r" + round[0] + "/vms/ns/vm-" + i), small),
                round);
        report(
                "put, replacing an object",
                n,
                i -> store.put("staging/same/vms/ns/vm-" + (i % 3), small),
                i -> oldPut(reference.resolve("staging/same/vms/ns/vm-" + (i % 3)), small),
                round);
        report(
                "bundle DEFLATE, no dictionary",
                n,
                i -> BundleCompression.frame(bundles.get(i % bundles.size()), Optional.empty()),
                i -> FreshDeflater.deflate(bundles.get(i % bundles.size()), Optional.empty()),
                round);
        Optional<Dictionary> dict = Optional.of(Dictionary.of(dictionary));
        report(
                "bundle DEFLATE, " + dictionary.length + " B dictionary",
                n,
                i -> BundleCompression.frame(bundles.get(i % bundles.size()), dict),
                i -> FreshDeflater.deflate(bundles.get(i % bundles.size()), Optional.of(dictionary)),
                round);
    }

    @FunctionalInterface
    private interface Op {
        void run(int i) throws Exception;
    }

    private static void report(String what, int n, Op now, Op before, int[] round) throws Exception {
        double[] a = new double[5];
        double[] b = new double[5];
        for (int r = 0; r < 5; r++) {
            round[0]++;
            a[r] = time(now, n);
            b[r] = time(before, n);
        }
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        System.out.printf(Locale.ROOT, "%-40s %8.1f us   reference (before) %8.1f us%n", what, a[2], b[2]);
    }

    private static double time(Op op, int n) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run(i);
        }
        return (System.nanoTime() - t0) / 1e3 / n;
    }

    /** The put before ba15b67: folder check, createTempFile, a second open, rename, delete of the temporary name. */
    private static void oldPut(Path target, byte[] data) throws Exception {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(data));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Every document of the fixture files as compact JSON: bundle-sized inputs. */
    private static List<byte[]> documents(Path dir) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (JsonNode doc : Yaml.parseAll(Files.readString(f), f.toString())) {
                    out.add(Json.compactBytes(doc));
                }
            }
        }
        return out;
    }

    /**
     * The last 32 KiB (DEFLATE's window) of the fixtures' and the examples' files as they are: a dictionary of the same
     * kind of text as the bundles, as large as one is used.
     */
    private static byte[] dictionary(Path fixtures, Path examples) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path dir : List.of(fixtures, examples)) {
            try (var files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml"))
                        .sorted()
                        .toList()) {
                    all.write(Files.readAllBytes(f));
                }
            }
        }
        byte[] b = all.toByteArray();
        return java.util.Arrays.copyOfRange(b, Math.max(0, b.length - 32 * 1024), b.length);
    }
}
