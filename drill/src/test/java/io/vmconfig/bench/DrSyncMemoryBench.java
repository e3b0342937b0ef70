package io.vmconfig.bench;

import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.testing.TestRepository;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code restore --context} holds in memory (bench/dr-sync-memory, docs/benchmarks.md, "DR sync"): N VMs backed
 * up into a folder repository, then restored into a fresh in-process DR API server by the real CLI in its own JVM
 * (-Xmx given, SerialGC, a GC log), twice: the first restore (every VM created) and the same set again (every VM
 * unchanged, the sync controller's steady state). Prints per run the exit code, wall seconds, peak RSS and the largest
 * heap left after any collection and after a full one ({@link #largest}). With BENCH_REFERENCE_CP set, the same runs
 * with that class path (another build of the product) come first, on another fresh DR server, for a reference in the
 * same run; BENCH_CLIENT_CP sets this build's class path (default: the bench's own).
 */
public final class DrSyncMemoryBench {
    private static final Pattern AFTER_GC = Pattern.compile("->(\\d+)M\\(");
    private static final Pattern AFTER_FULL_GC = Pattern.compile("Pause Full.*->(\\d+)M\\(");

    private DrSyncMemoryBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        String xmx = args.length > 1 ? args[1] : "256m";
        int parallel = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path dir = Files.createTempDirectory("vmconfig-drsync-mem-");
        String keys = TestRepository.keys(dir);
        String repo = TestRepository.init(dir.resolve("repo").toString(), keys);
        Path map = Files.writeString(dir.resolve("map.yaml"), DrSyncBench.MAP);
        DrSyncBench.backUp(DrSyncBench.fleet(n, -1), dir, repo, keys);
        System.out.printf(
                "dr-sync-memory: %d VMs, client -Xmx%s -XX:+UseSerialGC, --parallel %d, %d cores, java %s%n",
                n, xmx, parallel, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf(
                "%-10s %-16s %4s %8s %8s %13s %13s%n",
                "build", "run", "exit", "wall-s", "rss-MiB", "after-gc-MiB", "after-full-MiB");
        String reference = System.getenv("BENCH_REFERENCE_CP");
        if (reference != null && !reference.isBlank()) {
            client("reference", reference, n, xmx, parallel, dir, repo, keys, map);
        }
        String own = System.getenv("BENCH_CLIENT_CP");
        client(
                "this",
                own != null && !own.isBlank() ? own : System.getProperty("java.class.path"),
                n,
                xmx,
                parallel,
                dir,
                repo,
                keys,
                map);
    }

    private static void client(
            String label, String cp, int n, String xmx, int parallel, Path dir, String repo, String keys, Path map)
            throws Exception {
        try (EmbeddedKube dr = EmbeddedKube.start("dr-" + label, dir)) {
            DrSyncBench.replicatedDisks(dr, n, i -> true);
            for (String run : List.of("first restore", "unchanged set")) {
                Path gc = dir.resolve("gc-" + label + "-" + run.replace(' ', '-') + ".log");
                Path rss = dir.resolve("rss");
                List<String> cmd = new ArrayList<>(List.of(
                        "/usr/bin/time",
                        "-f",
                        "%M",
                        "-o",
                        rss.toString(),
                        "java",
                        "-Xmx" + xmx,
                        "-XX:+UseSerialGC",
                        "-Xlog:gc:file=" + gc,
                        "-cp",
                        cp,
                        "io.vmconfig.app.Main"));
                cmd.addAll(List.of(TestRepository.args(
                        "restore",
                        TestRepository.reader(repo, keys, map.toString()),
                        "--parallel",
                        Integer.toString(parallel),
                        // the client's rate limit is not what is measured here: high enough never to wait
                        "--qps",
                        "10000",
                        "--burst",
                        "10000",
                        "-o",
                        "json",
                        dr.contextArgs())));
                long t = System.nanoTime();
                Process p = new ProcessBuilder(cmd)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(dir.resolve("err-" + label).toFile())
                        .start();
                int code = p.waitFor();
                double seconds = (System.nanoTime() - t) / 1e9;
                List<String> rssLines = Files.readAllLines(rss);
                double rssMib = Long.parseLong(rssLines.get(rssLines.size() - 1).trim()) / 1024.0;
                System.out.printf(
                        "%-10s %-16s %4d %8.1f %8.1f %13d %13d%n",
                        label, run, code, seconds, rssMib, largest(gc, AFTER_GC), largest(gc, AFTER_FULL_GC));
                if (code != 0) {
                    Files.readAllLines(dir.resolve("err-" + label)).stream()
                            .filter(l -> l.contains("Error") || l.contains("error"))
                            .limit(3)
                            .forEach(l -> System.out.println("    " + l));
                }
            }
        }
    }

    /**
     * The largest heap occupancy after a collection in a GC log ({@code -Xlog:gc}) whose line {@code which} matches,
     * in MiB; -1 without any. After any collection it is an upper bound of the live heap (a young collection leaves
     * the old generation's garbage); after a full collection it is the live heap then, which a small -Xmx forces.
     */
    static long largest(Path gcLog, Pattern which) throws java.io.IOException {
        long max = -1;
        if (!new File(gcLog.toString()).exists()) {
            return max;
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = which.matcher(line);
            if (m.find()) {
                max = Math.max(max, Long.parseLong(m.group(1)));
            }
        }
        return max;
    }
}
