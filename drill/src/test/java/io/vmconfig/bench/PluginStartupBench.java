package io.vmconfig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.Http2Listener;
import io.vmconfig.adapters.goplugin.proto.Empty;
import io.vmconfig.adapters.goplugin.proto.GRPCControllerGrpc;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionAppliesToRequest;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionGrpc;
import io.vmconfig.adapters.velero.proto.v2.ExecuteRequest;
import io.vmconfig.plugin.UnpackedRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start-up and per-item cost of the built plugin, measured the way Velero pays them: exec to handshake line (runtime
 * already unpacked, and first-ever into an empty scratch folder), RSS after the handshake and after 10,000 Executes,
 * and Execute latency (vm-backup, config-only, on the fixture VMs) seen by the client. With REFERENCE (a minimal
 * go-plugin-compatible process, drill/src/test/c/reference-plugin.c), its handshake and RSS are measured in the same
 * run, starts interleaved with the plugin's, and printed beside them. With {@code -Dbench.jvmOpts=OPT\nOPT...}
 * (bench/plugin-startup --jvm-opt), the options are added to the unpacked runtime's jvm.args after the built ones (so
 * they win over them: {@code -Xms8m}, {@code -XX:AOTMode=off}), for the Executes' process and the warm starts; the
 * first-ever starts unpack a fresh runtime and so run without them (the output says so).
 * Usage: PluginStartupBench PLUGIN FIXTURES_DIR [RUNS [REFERENCE]]
 */
public final class PluginStartupBench {
    /** 10,000 unless {@code -Dbench.executes=N} (bench/plugin-startup --executes N, for profiling runs). */
    private static final int EXECUTES = Integer.getInteger("bench.executes", 10_000);

    /** Executes of one build before the other's, with {@code --against}. */
    private static final int BLOCK = 500;

    public static void main(String[] args) throws Exception {
        Path plugin = Path.of(args[0]).toAbsolutePath();
        Path fixtures = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Path reference = args.length > 3 ? Path.of(args[3]).toAbsolutePath() : null;
        Path scratch = Files.createTempDirectory("vmconfig-bench");

        List<ByteString> items = fixtureVms(fixtures);
        // config-only Executes write each bundle: a folder repository named by the vm-backup ConfigMap of an
        // in-process API server (the fixtures' dependencies are not in it, so only the VM is fetched)
        EmbeddedKube cluster = EmbeddedKube.start("bench", scratch);
        repository(cluster, scratch);
        // -Dbench.api=mock|h2|http/1.1: where the plugin reads (see apiEnv); -Dbench.againstApi: the same for the
        // interleaved loop's other process
        Map<String, Http2Listener> listeners = new java.util.TreeMap<>();
        String api = System.getProperty("bench.api", "mock");
        Map<String, String> env = apiEnv(cluster, api, listeners);
        String againstApi = System.getProperty("bench.againstApi");
        Map<String, String> againstEnv = againstApi == null ? env : apiEnv(cluster, againstApi, listeners);
        // with a uid, as Velero sends it: vm-backup reads the ConfigMap at the run's first Execute only
        ByteString backup = ByteString.copyFromUtf8("{\"metadata\":{\"name\":\"bench\",\"uid\":\"6d0f3b52-bench\","
                + "\"labels\":{\"vmconfig.io/config-only\":\"true\"}}}");
        // -Dbench.nmt=JCMD: a separate process started with native memory tracking, its summary printed after the
        // handshake and after the Executes (jcmd of a JDK of the plugin runtime's version)
        String jcmd = System.getProperty("bench.nmt");
        Map<String, String> startEnv = env;
        if (jcmd != null) {
            startEnv = new java.util.HashMap<>(env);
            startEnv.put("JAVA_TOOL_OPTIONS", "-XX:NativeMemoryTracking=summary");
        }
        List<String> jvmOpts = jvmOpts();
        String load0 = loadAverage();
        if (!jvmOpts.isEmpty()) {
            // unpack the runtime once, then give its jvm.args the extra options
            try (Started s = start(plugin, scratch, env)) {
                UnpackedRuntime.addJvmOptions(scratch, jvmOpts);
            }
        }
        long rssHandshake;
        long rssFirstCall;
        long rssAfter;
        double[] lat = new double[EXECUTES];
        long cpuStart;
        long cpuHalf = 0;
        long cpuEnd;
        long serverBusy;
        List<io.vmconfig.adapters.kube.ApiRequest> requests;
        Map<String, Long> threadsStart;
        Map<String, Long> threadsEnd;
        // N Executes on a throwaway plugin process first (-Dbench.harnessWarmup=N, default EXECUTES), so that this
        // JVM's own code (the gRPC client, the API server) is compiled before the measured process starts: without
        // it, this JVM's JIT compiler threads took 1.7 ms of CPU per Execute over the measured first half, on the
        // plugin's 2 cores (docs/benchmarks.md, fourteenth session). Velero and kube-apiserver, in Go, compile
        // nothing at run time.
        int harnessWarmup = Integer.getInteger("bench.harnessWarmup", EXECUTES);
        if (harnessWarmup > 0) {
            try (Started w = start(plugin, scratch, env)) {
                var bia = BackupItemActionGrpc.newBlockingStub(w.channel);
                for (int i = 0; i < harnessWarmup; i++) {
                    timedExecute(bia, items, i, backup);
                }
            }
        }
        long self = ProcessHandle.current().pid();
        String settled = harnessWarmup > 0 ? compilersSettled(self) : "";
        long benchCpuStart;
        long benchCpuHalf = 0;
        long benchCpuEnd;
        String benchThreads;
        try (Started s = start(plugin, scratch, startEnv)) {
            rssHandshake = s.rssHandshakeKib;
            rssFirstCall = rssKib(s.process.pid());
            nmt(jcmd, s.process.pid(), "after the handshake and the first call");
            var bia = BackupItemActionGrpc.newBlockingStub(s.channel);
            cluster.faults.drainSeen();
            serverBusy = cluster.faults.busyNanos();
            cpuStart = cpuTicks(s.process.pid());
            benchCpuStart = cpuTicks(self);
            Map<String, Long> benchThreads0 = threadTicks(self);
            Map<String, Long> benchThreads1 = Map.of();
            threadsStart = threadTicks(s.process.pid());
            for (int i = 0; i < EXECUTES; i++) {
                if (i == EXECUTES / 2) {
                    cpuHalf = cpuTicks(s.process.pid());
                    benchCpuHalf = cpuTicks(self);
                    benchThreads1 = threadTicks(self);
                }
                lat[i] = timedExecute(bia, items, i, backup);
            }
            cpuEnd = cpuTicks(s.process.pid());
            benchCpuEnd = cpuTicks(self);
            Map<String, Long> benchThreads2 = threadTicks(self);
            StringBuilder tb = new StringBuilder(
                    "bench JVM CPU per Execute by thread (over 0.1 ms in all), ms, first half / second half:");
            for (String t : benchThreads2.keySet()) {
                long a = benchThreads1.getOrDefault(t, 0L) - benchThreads0.getOrDefault(t, 0L);
                long b = benchThreads2.get(t) - benchThreads1.getOrDefault(t, 0L);
                if ((a + b) * 10.0 / EXECUTES > 0.1) {
                    tb.append(String.format(
                            Locale.ROOT,
                            " %s %.3f/%.3f;",
                            t,
                            a * 10.0 / (EXECUTES / 2),
                            b * 10.0 / (EXECUTES - EXECUTES / 2)));
                }
            }
            benchThreads = tb.toString();
            serverBusy = cluster.faults.busyNanos() - serverBusy;
            requests = cluster.faults.drainSeen();
            threadsEnd = threadTicks(s.process.pid());
            rssAfter = rssKib(s.process.pid());
            nmt(jcmd, s.process.pid(), "after " + EXECUTES + " Executes");
        }
        // -Dbench.against=FILE: also both builds' Executes, interleaved
        String againstProperty = System.getProperty("bench.against");
        Path against = againstProperty == null ? null : Path.of(againstProperty).toAbsolutePath();
        String interleaved = against == null && againstApi == null
                ? ""
                : interleavedExecutes(
                        new Side(plugin, api, env),
                        new Side(against == null ? plugin : against, againstApi == null ? api : againstApi, againstEnv),
                        scratch,
                        items,
                        backup);
        // start-up is timed after the Executes, once this JVM's own JIT has settled and competes less
        double[] warm = new double[runs];
        double[] firstCall = new double[runs];
        double[] refWarm = new double[runs];
        double[] refRss = new double[runs];
        // and another build's warm starts in the same loop, one after each of the plugin's, so a change of a few ms
        // is not lost in the machine's drift between two runs of this bench
        double[] againstWarm = new double[runs];
        double[] againstFirstCall = new double[runs];
        if (against != null) {
            // unpacked once before the timed starts, as the plugin's runtime was by the Executes' process
            start(against, scratch, againstEnv).close();
        }
        for (int i = 0; i < runs; i++) {
            try (Started s = start(plugin, scratch, env)) {
                warm[i] = s.handshakeMillis;
                firstCall[i] = s.firstCallMillis;
            }
            if (against != null) {
                try (Started s = start(against, scratch, againstEnv)) {
                    againstWarm[i] = s.handshakeMillis;
                    againstFirstCall[i] = s.firstCallMillis;
                }
            }
            if (reference != null) {
                // interleaved, so both see the same load on the machine
                ProcessBuilder pb = veleroProcess(reference, scratch, env);
                long t0 = System.nanoTime();
                Process p = pb.start();
                readLine(p.getInputStream());
                refWarm[i] = (System.nanoTime() - t0) / 1e6;
                refRss[i] = rssKib(p.pid()) / 1024.0;
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        String load1 = loadAverage();
        double[] cold = new double[Math.max(3, runs / 3)];
        for (int i = 0; i < cold.length; i++) {
            Path empty = Files.createTempDirectory("vmconfig-bench-cold");
            try (Started s = start(plugin, empty, env)) {
                cold[i] = s.handshakeMillis;
            } finally {
                deleteTree(empty); // its unpacked runtime, ~170 MB a start
            }
        }
        String load2 = loadAverage();
        System.out.printf(Locale.ROOT, "plugin %s%s%n", plugin, jvmOpts.isEmpty() ? "" : " with " + jvmOpts);
        System.out.printf(
                Locale.ROOT,
                "load average (1/5/15 min) at start %s, before the first-ever starts %s, at the end %s%n",
                load0,
                load1,
                load2);
        System.out.printf(Locale.ROOT, "handshake, runtime unpacked (median of %d): %.0f ms%n", runs, median(warm));
        System.out.printf(
                Locale.ROOT,
                "first call after the handshake (vm-backup AppliesTo on a new connection, as Velero's first): median"
                        + " %.1f ms; handshake + first call, median %.0f ms%n",
                median(firstCall),
                median(sums(warm, firstCall)));
        if (against != null) {
            System.out.printf(
                    Locale.ROOT,
                    "against %s, same run, starts interleaved with the plugin's: handshake median %.0f ms, first call"
                            + " %.1f ms, handshake + first call %.0f ms%n",
                    against,
                    median(againstWarm),
                    median(againstFirstCall),
                    median(sums(againstWarm, againstFirstCall)));
        }
        System.out.printf(
                Locale.ROOT,
                "handshake, first-ever run (median of %d): %.0f ms%s%n",
                cold.length,
                median(cold),
                jvmOpts.isEmpty() ? "" : " (built options only: a fresh unpack has not got the extra ones)");
        System.out.printf(Locale.ROOT, "RSS after handshake: %.1f MiB%n", rssHandshake / 1024.0);
        System.out.printf(Locale.ROOT, "RSS after the first call: %.1f MiB%n", rssFirstCall / 1024.0);
        System.out.printf(Locale.ROOT, "RSS after %d Executes: %.1f MiB%n", EXECUTES, rssAfter / 1024.0);
        if (reference != null) {
            System.out.printf(
                    Locale.ROOT,
                    "reference (%s), same run, starts interleaved: handshake median %.1f ms,"
                            + " RSS after handshake %.1f MiB%n",
                    reference.getFileName(),
                    median(refWarm),
                    median(refRss));
        }
        System.out.printf(Locale.ROOT, "plugin file: %.1f MB%n", Files.size(plugin) / 1e6);
        cluster.close();
        System.out.printf(
                Locale.ROOT,
                "Execute vm-backup config-only (bundle staged in a folder repository) on %d"
                        + " fixture VMs: p50 %.3f ms, p99 %.3f ms (all %d calls, first included); second half p50"
                        + " %.3f ms%n",
                items.size(),
                percentile(lat, 50),
                percentile(lat, 99),
                EXECUTES,
                percentile(Arrays.copyOfRange(lat, EXECUTES / 2, EXECUTES), 50));
        // CPU time is less at the mercy of the machine's other work than latency: the plugin's user + system time
        // (all its threads) per Execute, over all of them and over the second half (JIT warmed, one-time work done)
        System.out.printf(
                Locale.ROOT,
                "plugin CPU (user+sys, all threads) per Execute: %.3f ms over all %d, %.3f ms over the second half%n",
                (cpuEnd - cpuStart) * 10.0 / EXECUTES,
                EXECUTES,
                (cpuEnd - cpuHalf) * 10.0 / (EXECUTES - EXECUTES / 2));
        // the bench's own JVM (gRPC client, API server, and its JIT) shares the 2 cores with the plugin
        System.out.printf(
                Locale.ROOT,
                "bench JVM CPU (client, API server, its JIT) per Execute: %.3f ms over the first half, %.3f ms over the"
                        + " second half%s%n",
                (benchCpuHalf - benchCpuStart) * 10.0 / (EXECUTES / 2),
                (benchCpuEnd - benchCpuHalf) * 10.0 / (EXECUTES - EXECUTES / 2),
                harnessWarmup > 0
                        ? " (after " + harnessWarmup + " Executes on a throwaway process; " + settled + ")"
                        : "");
        System.out.println(benchThreads);
        // what the API server received during the Executes: each request is a round trip the Execute waits for
        java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
        for (var r : requests) {
            byKind.merge(r.verb() + " " + r.resource(), 1L, Long::sum);
        }
        System.out.printf(
                Locale.ROOT,
                "API requests per Execute (as the in-process API server received them): %.2f %s%n",
                requests.size() / (double) EXECUTES,
                byKind);
        // the in-process API server's own time, in this JVM: while at least one request was inside its dispatcher
        System.out.printf(
                Locale.ROOT,
                "API server busy per Execute (in the bench's JVM, requests in parallel counted once): %.3f ms%n",
                serverBusy / 1e6 / EXECUTES);
        // by thread (names as Linux sees them: the first 15 characters), ms per Execute, the largest first; a thread
        // that ended during the Executes is missing (its ticks are in the process's figure above only)
        StringBuilder threads = new StringBuilder();
        threadsEnd.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - threadsStart.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> threads.append(
                        String.format(Locale.ROOT, " %s %.3f;", e.getKey(), e.getValue() * 10.0 / EXECUTES)));
        System.out.println("plugin CPU per Execute by thread, ms:" + threads);
        System.out.print(interleaved);
        deleteTree(scratch);
        for (var l : listeners.entrySet()) {
            System.out.println("API listener offering " + l.getKey() + " (ALPN), requests by the protocol they came in"
                    + " on: " + l.getValue().requestsByProtocol());
            l.getValue().close();
        }
    }

    /** The {@code i}th config-only vm-backup Execute (the fixture VMs in turn), in ms as the client waited for it. */
    private static double timedExecute(
            BackupItemActionGrpc.BackupItemActionBlockingStub bia, List<ByteString> items, int i, ByteString backup) {
        long t0 = System.nanoTime();
        bia.execute(ExecuteRequest.newBuilder()
                .setPlugin("vmconfig.io/vm-backup")
                .setItem(items.get(i % items.size()))
                .setBackup(backup)
                .build());
        return (System.nanoTime() - t0) / 1e6;
    }

    /** One process of the interleaved loop: a plugin file and the API it reads from. */
    private record Side(Path file, String api, Map<String, String> env) {
        @Override
        public String toString() {
            return file + " (API: " + api + ")";
        }
    }

    /**
     * With {@code --against} or {@code --against-api}: both processes' Executes in one loop (two builds, or one build
     * reading from two APIs), {@value #BLOCK} of one's, then as many of the other's, each process {@link #EXECUTES}
     * in all, so that both see the same machine: on this one, the same build's second-half p50 moved by up to a
     * millisecond between two runs of this bench (docs/benchmarks.md, issue 13, thirteenth session). Prints each one's
     * second-half p50 and CPU per Execute.
     */
    private static String interleavedExecutes(
            Side plugin, Side against, Path scratch, List<ByteString> items, ByteString backup) throws Exception {
        Side[] sides = {plugin, against};
        double[][] lat = new double[2][EXECUTES];
        long[] cpuHalf = new long[2];
        long[] cpuEnd = new long[2];
        try (Started a = start(plugin.file(), scratch, plugin.env());
                Started b = start(against.file(), scratch, against.env())) {
            Started[] both = {a, b};
            int done = 0;
            while (done < EXECUTES) {
                int end = Math.min(EXECUTES, done + BLOCK);
                for (int k = 0; k < 2; k++) {
                    var bia = BackupItemActionGrpc.newBlockingStub(both[k].channel);
                    for (int i = done; i < end; i++) {
                        if (i == EXECUTES / 2) {
                            cpuHalf[k] = cpuTicks(both[k].process.pid());
                        }
                        lat[k][i] = timedExecute(bia, items, i, backup);
                    }
                    if (end == EXECUTES) {
                        cpuEnd[k] = cpuTicks(both[k].process.pid());
                    }
                }
                done = end;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < 2; k++) {
            out.append(String.format(
                    Locale.ROOT,
                    "Execute interleaved in blocks of %d, %s: second half p50 %.3f ms, plugin CPU per Execute over the"
                            + " second half %.3f ms%n",
                    BLOCK,
                    sides[k],
                    percentile(Arrays.copyOfRange(lat[k], EXECUTES / 2, EXECUTES), 50),
                    (cpuEnd[k] - cpuHalf[k]) * 10.0 / (EXECUTES - EXECUTES / 2)));
        }
        return out.toString();
    }

    /** Removes a scratch folder and what is in it (the bench's unpacked runtimes and repository). */
    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Waits until this JVM's JIT compiler threads have been idle (at most 10 ms of CPU) for half a second, or 60 s:
     * after the warm-up Executes, the JIT still works through what they made hot.
     */
    private static String compilersSettled(long self) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long before = compilerTicks(self);
        while (System.nanoTime() - t0 < 60_000_000_000L) {
            Thread.sleep(500);
            long now = compilerTicks(self);
            if (now - before <= 1) {
                return String.format(Locale.ROOT, "its JIT idle after %.1f s more", (System.nanoTime() - t0) / 1e9);
            }
            before = now;
        }
        return "its JIT still busy after 60 s";
    }

    private static long compilerTicks(long pid) throws IOException {
        return threadTicks(pid).entrySet().stream()
                .filter(e -> e.getKey().contains("Compiler"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** utime + stime of process {@code pid} from /proc/PID/stat, in clock ticks (USER_HZ, 100 on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** utime + stime of a /proc stat line (a process's or a thread's). */
    private static long ticks(String stat) {
        // after the command name, which may hold spaces, in parentheses: field 3 on; utime and stime are 14 and 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * CPU ticks of the live threads of process {@code pid} by thread name, numbers dropped (gRPC's executor threads, the
     * HTTP client's workers... counted together): where the plugin's CPU goes, without a profiler in its runtime.
     */
    private static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[-#]?[0-9]+", "#");
                    out.merge(name, ticks(Files.readString(t.resolve("stat"))), Long::sum);
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    private static List<String> jvmOpts() {
        String v = System.getProperty("bench.jvmOpts", "");
        return Arrays.stream(v.split("\n"))
                .map(String::trim)
                .filter(o -> !o.isEmpty())
                .toList();
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + "/" + f[1] + "/" + f[2];
    }

    /** The committed figure of every NMT category of process {@code pid}, with its VmRSS; nothing without jcmd. */
    private static void nmt(String jcmd, long pid, String when) throws IOException, InterruptedException {
        if (jcmd == null) {
            return;
        }
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "VM.native_memory", "summary")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        System.out.printf(Locale.ROOT, "NMT %s (VmRSS %.1f MiB):%n", when, rssKib(pid) / 1024.0);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(?m)^(?:(Total):|-\\s+([A-Za-z][A-Za-z ]*[A-Za-z]) \\().*?committed=(\\d+)KB")
                .matcher(out);
        while (m.find()) {
            long kb = Long.parseLong(m.group(3));
            if (kb >= 256) {
                System.out.printf(
                        Locale.ROOT, "  %-22s %7.1f MiB%n", m.group(1) == null ? m.group(2) : m.group(1), kb / 1024.0);
            }
        }
        smaps(pid);
        // -Dbench.jcmd=CMD;CMD...: more jcmd diagnostic commands (e.g. Compiler.codecache;GC.heap_info), output as is
        for (String extra : System.getProperty("bench.jcmd", "").split(";")) {
            if (!extra.isBlank()) {
                Process q = new ProcessBuilder(jcmd, Long.toString(pid), extra.trim())
                        .redirectErrorStream(true)
                        .start();
                System.out.printf(
                        Locale.ROOT,
                        "  jcmd %s:%n%s",
                        extra.trim(),
                        new String(q.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                q.waitFor();
            }
        }
    }

    /**
     * VmRSS split by mapping from /proc/PID/smaps: anonymous memory (what NMT tracks, plus malloc it does not) and
     * each file mapped in (the AOT cache, the jimage, libjvm.so), which NMT does not count.
     */
    private static void smaps(long pid) throws IOException {
        Map<String, Long> rss = new java.util.TreeMap<>();
        String mapping = "[anonymous]";
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 5 && f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
                mapping = f.length > 5 ? Path.of(f[5]).getFileName().toString() : "[anonymous]";
            } else if (l.startsWith("Rss:")) {
                rss.merge(mapping, Long.parseLong(f[1]), Long::sum);
            }
        }
        System.out.printf(Locale.ROOT, "  smaps (resident, not NMT's view):%n");
        rss.entrySet().stream()
                .filter(e -> e.getValue() >= 1024)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e ->
                        System.out.printf(Locale.ROOT, "    %-20s %7.1f MiB%n", e.getKey(), e.getValue() / 1024.0));
    }

    private static List<ByteString> fixtureVms(Path dir) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectMapper json = new ObjectMapper();
        List<ByteString> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        if ("VirtualMachine".equals(doc.path("kind").asText())) {
                            out.add(ByteString.copyFrom(json.writeValueAsBytes(doc)));
                        }
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no VirtualMachine in " + dir);
        }
        return out;
    }

    /**
     * A started plugin: exec until its handshake line, then the first call Velero makes on a dispensed backup action
     * (AppliesTo, which opens the connection), timed on its own.
     */
    private record Started(
            Process process,
            ManagedChannel channel,
            double handshakeMillis,
            long rssHandshakeKib,
            double firstCallMillis)
            implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            GRPCControllerGrpc.newBlockingStub(channel).shutdown(Empty.getDefaultInstance());
            channel.shutdownNow();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** A folder repository and the vm-backup ConfigMap and key Secret naming it, in Velero's namespace. */
    private static void repository(EmbeddedKube cluster, Path dir) throws IOException {
        io.vmconfig.testing.PluginRepository.create(cluster.cluster.client(), dir);
    }

    /**
     * How the plugin finds the API server. Default, as in Velero's pod: no kubeconfig file, the server, the token and
     * the trust given the way the service account gives them (fabric8 reads them from the environment here, from the
     * mounted account files in a pod). {@code -Dbench.kubeconfig=true}: a kubeconfig file instead (KUBECONFIG), as a
     * plugin run outside a cluster would read it: its parse loads ~650 more classes (docs/benchmarks.md).
     */
    static Map<String, String> clusterEnv(EmbeddedKube cluster) {
        if (Boolean.getBoolean("bench.kubeconfig")) {
            return Map.of("KUBECONFIG", cluster.kubeconfig.toString());
        }
        return cluster.podEnvironment(cluster.server.url("/"));
    }

    /**
     * The plugin's environment for reading from {@code api}: {@code mock}, fabric8's mock itself (HTTP/1.1 only: it
     * offers no ALPN); {@code h2}, a second listener of the same API ({@link Http2Listener}) offering h2 by ALPN as
     * kube-apiserver does, so the plugin's JDK client reads over HTTP/2 as in a cluster; {@code http/1.1}, that
     * listener offering HTTP/1.1 only. One listener per offer, kept in {@code listeners}.
     */
    static Map<String, String> apiEnv(EmbeddedKube cluster, String api, Map<String, Http2Listener> listeners) {
        if (api.equals("mock")) {
            return clusterEnv(cluster);
        }
        Http2Listener.Offer offer = switch (api) {
            case "h2" -> Http2Listener.Offer.H2;
            case "http/1.1" -> Http2Listener.Offer.HTTP_1_1;
            default -> throw new IllegalArgumentException("--api takes mock, h2 or http/1.1, not " + api);
        };
        if (Boolean.getBoolean("bench.kubeconfig")) {
            throw new IllegalArgumentException("--api " + api + " needs the pod's environment, not bench.kubeconfig");
        }
        return cluster.podEnvironment(listeners.computeIfAbsent(api, k -> Http2Listener.start(cluster, offer)).url);
    }

    private static Started start(Path plugin, Path scratch, Map<String, String> env) throws IOException {
        ProcessBuilder pb = veleroProcess(plugin, scratch, env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String line = readLine(p.getInputStream());
        double ms = (System.nanoTime() - t0) / 1e6;
        String[] fields = line.split("\\|");
        if (fields.length < 4) {
            p.destroyForcibly();
            throw new IllegalStateException("no handshake line from " + plugin + " (read '" + line
                    + "'; its stderr is discarded, run it by hand; a full disk in " + scratch + " is one cause)");
        }
        long rss = rssKib(p.pid()); // before the first call loads anything more
        String addr = fields[3];
        int port = Integer.parseInt(addr.substring(addr.indexOf(':') + 1));
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        long t1 = System.nanoTime();
        BackupItemActionGrpc.newBlockingStub(channel)
                .appliesTo(BackupItemActionAppliesToRequest.newBuilder()
                        .setPlugin("vmconfig.io/vm-backup")
                        .build());
        return new Started(p, channel, ms, rss, (System.nanoTime() - t1) / 1e6);
    }

    private static double[] sums(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** The process as Velero starts a plugin: its arguments, the cookie, protocol 2, the port range, scratch. */
    private static ProcessBuilder veleroProcess(Path plugin, Path scratch, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(plugin.toString(), "--log-level", "info", "--features=");
        pb.environment().putAll(env);
        pb.environment().put("VELERO_PLUGIN", "hello");
        pb.environment().put("PLUGIN_PROTOCOL_VERSIONS", "2");
        pb.environment().put("PLUGIN_MIN_PORT", "10000");
        pb.environment().put("PLUGIN_MAX_PORT", "25000");
        pb.environment().put("VELERO_SCRATCH_DIR", scratch.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static long rssKib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static double median(double[] v) {
        return percentile(v, 50);
    }

    private static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }
}
