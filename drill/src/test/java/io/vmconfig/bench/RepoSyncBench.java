package io.vmconfig.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedS3;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.fs.FolderBlobStore;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.repo.BackupResult;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.CanonicalJson;
import io.vmconfig.core.repo.LoadedSet;
import io.vmconfig.core.repo.MeteredBlobStore;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoInit;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoWriter;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.SigningKeys;
import io.vmconfig.core.repo.Snapshots;
import io.vmconfig.core.repo.Trust;
import io.vmconfig.core.repo.VmSnapshot;
import io.vmconfig.core.vm.VmRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * bench/repo-sync: N VMs (copies of the examples, so real bundle shapes, Secrets encrypted), a full backup, then
 * 1 % changed and a second backup: bytes and PUTs of the second backup against the minimum and against a full copy
 * of all bundles (what Velero uploads every time), and wall time; on the folder store and on S3Proxy over HTTP.
 */
public final class RepoSyncBench {
    private RepoSyncBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double changedShare = args.length > 1 ? Double.parseDouble(args[1]) : 0.01;
        List<VmSnapshot> templates =
                Snapshots.fromExport(ExportBatch.run(KubeObjectReader.read(Path.of("examples/production"))));
        List<VmSnapshot> first = fleet(templates, n, Set.of());
        int step = (int) Math.round(1 / changedShare);
        Set<Integer> changed = new java.util.HashSet<>();
        for (int i = 0; i < n; i += step) {
            changed.add(i);
        }
        List<VmSnapshot> second = fleet(templates, n, changed);
        System.out.printf(
                "repo-sync: %d VMs, %d changed (%.1f %%), java %s%n",
                n, changed.size(), 100.0 * changed.size() / n, System.getProperty("java.version"));
        System.out.printf(
                "%-9s %9s %8s %12s %12s %12s %12s %8s %9s %9s%n",
                "store",
                "full-s",
                "incr-s",
                "full-bytes",
                "incr-bytes",
                "min-bytes",
                "full-copy",
                "ratio",
                "incr-PUTs",
                "min-PUTs");
        Path dir = Files.createTempDirectory("vmconfig-bench-");
        long[] folder = run("folder", new FolderBlobStore(dir.resolve("repo")), first, second, changed);
        if (!Boolean.getBoolean("bench.noS3")) {
            run("s3proxy", EmbeddedS3.get().newStore("bench"), first, second, changed);
        }
        git(dir.resolve("git"), first, second, folder);
        if (!Boolean.getBoolean("bench.noSeries")) {
            series(new FolderBlobStore(dir.resolve("series")), templates, n, step);
        }
        System.exit(0);
    }

    /**
     * The same VMs exported as YAML (one file per VM: the VM, then its dependencies, as separate documents) into a
     * git repository, both states committed; the full pack of the first commit and the thin pack of the second
     * ({@code git pack-objects --revs --thin --stdout}) beside vmconfig's full and incremental upload.
     */
    private static void git(Path repo, List<VmSnapshot> first, List<VmSnapshot> second, long[] vmconfig)
            throws Exception {
        Files.createDirectories(repo);
        sh(repo, null, "git", "init", "-q");
        exportYaml(repo, first);
        commit(repo, "full");
        exportYaml(repo, second);
        commit(repo, "incremental");
        long full = sh(repo, lines("HEAD~1"), "git", "pack-objects", "--revs", "--stdout");
        long thin = sh(repo, lines("HEAD", "^HEAD~1"), "git", "pack-objects", "--revs", "--thin", "--stdout");
        System.out.printf(
                "git (%s): full pack %d bytes, thin pack of the second commit %d bytes%n",
                new String(
                                new ProcessBuilder("git", "--version")
                                        .start()
                                        .getInputStream()
                                        .readAllBytes(),
                                java.nio.charset.StandardCharsets.UTF_8)
                        .strip(),
                full,
                thin);
        System.out.printf(
                "vmconfig/git: full backup %d / %d = %.2f x, incremental %d / %d = %.2f x%n",
                vmconfig[0], full, (double) vmconfig[0] / full, vmconfig[1], thin, (double) vmconfig[1] / thin);
        if (vmconfig[0] > full || vmconfig[1] > thin) {
            System.out.println("  TARGET MISSED: vmconfig uploads more than git (targets: <= 1.0 x)");
        }
    }

    /** Revisions for pack-objects' standard input, one a line. */
    private static String lines(String... revs) {
        return String.join(System.lineSeparator(), revs) + System.lineSeparator();
    }

    private static void exportYaml(Path repo, List<VmSnapshot> vms) throws java.io.IOException {
        com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        for (VmSnapshot v : vms) {
            Path f = repo.resolve(v.key().namespace()).resolve(v.key().name() + ".yaml");
            Files.createDirectories(f.getParent());
            StringBuilder b = new StringBuilder(yaml.writeValueAsString(v.vm()));
            for (ObjectNode d : v.dependencies()) {
                b.append(yaml.writeValueAsString(d));
            }
            Files.writeString(f, b);
        }
    }

    private static void commit(Path repo, String message) throws Exception {
        sh(repo, null, "git", "add", "-A");
        sh(
                repo,
                null,
                "git",
                "-c",
                "user.name=bench",
                "-c",
                "user.email=bench@localhost",
                "commit",
                "-q",
                "-m",
                message);
    }

    /** Runs a command in {@code dir}, feeding {@code input}; returns the bytes it wrote to stdout. */
    private static long sh(Path dir, String input, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (var in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        long n = p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return n;
    }

    /**
     * Twelve runs after a full backup, each changing another 1 % of the VMs: the bytes of each, so that the runs
     * that fold the overlay into the tree show beside those that add a segment (repository-format.md §6.2).
     */
    private static void series(BlobStore inner, List<VmSnapshot> templates, int n, int step) {
        MeteredBlobStore store = new MeteredBlobStore(inner);
        Repo repo = Repo.init(inner, store);
        RepoWriter w = repo.writer();
        w.backup(fleet(templates, n, Set.of()), "prod", "full", Progress.NONE);
        long total = 0;
        StringBuilder line = new StringBuilder();
        Set<Integer> changed = new java.util.HashSet<>();
        for (int run = 1; run <= 12; run++) {
            for (int i = run; i < n; i += step) {
                changed.add(i);
            }
            store.reset();
            w.backup(fleet(templates, n, changed), "prod", "run-" + run, Progress.NONE);
            total += store.putBytes();
            line.append(' ').append(store.putBytes());
        }
        System.out.printf("series of 12 runs of 1 %% each (folder), bytes per run:%s; mean %d%n", line, total / 12);
    }

    /** A fresh repository on {@code inner}, written through {@code store}. */
    private record Repo(KeyPair signer, RepositoryKey key, RepoWriter writer) {
        static Repo init(BlobStore inner, BlobStore store) {
            SecureRandom random = new SecureRandom();
            KeyPair signer = SigningKeys.generate(random);
            RepositoryKey key = RepositoryKey.of(RepositoryKey.generate(random));
            RepoInit.init(inner, List.of(signer.getPublic()), key, Clock.systemUTC(), random);
            return new Repo(
                    signer,
                    key,
                    new RepoWriter(
                            store,
                            signer.getPrivate(),
                            signer.getPublic(),
                            Optional.of(key),
                            Clock.systemUTC(),
                            random,
                            "bench"));
        }
    }

    /** Returns the bytes of the full and of the incremental backup. */
    private static long[] run(
            String label, BlobStore inner, List<VmSnapshot> first, List<VmSnapshot> second, Set<Integer> changed) {
        UploadBreakdown breakdown = new UploadBreakdown(inner);
        MeteredBlobStore store = new MeteredBlobStore(breakdown);
        Repo repo = Repo.init(inner, store);
        RepoWriter w = repo.writer();
        long t0 = System.nanoTime();
        w.backup(first, "prod", "full", Progress.NONE);
        long t1 = System.nanoTime();
        long fullBytes = store.putBytes();
        store.reset();
        breakdown.reset();
        BackupResult r = w.backup(second, "prod", "incremental", Progress.NONE);
        long t2 = System.nanoTime();
        long puts = store.puts();
        long bytes = store.putBytes();
        LoadedSet set = new RepoReader(inner, Trust.keys(List.of(repo.signer().getPublic())), Optional.of(repo.key()))
                .load(r.setId());
        long fullCopy = 0;
        long minimum = 0;
        java.util.Map<String, long[]> changedBy = new java.util.TreeMap<>();
        Set<String> counted = new java.util.HashSet<>();
        Set<String> copied = new java.util.HashSet<>();
        Set<String> needed = new java.util.HashSet<>();
        for (var e : set.entries()) {
            // a pack holds several VMs' bundles (repository-format.md §5.5): each object counts once
            fullCopy += copied.add(e.objectName()) ? e.size() : 0;
            if (changed.contains(index(e.key()))) {
                String kind = (e.encrypted() ? "sealed-" : "plain-") + (e.base().isPresent() ? "delta" : "full");
                long[] c = changedBy.computeIfAbsent(kind, k -> new long[3]);
                c[0]++;
                if (counted.add(kind + " " + e.objectName())) {
                    c[1]++;
                    c[2] += e.size();
                }
                // the changed bundle (a pack once), plus its entry in the set: the least any format must upload
                minimum += (needed.add(e.objectName()) ? e.size() : 0)
                        + CanonicalJson.bytes(CanonicalJson.object()
                                        .put("bundle", e.bundle().hex())
                                        .put("namespace", e.key().namespace())
                                        .put("name", e.key().name())
                                        .put("generation", e.generation()))
                                .length;
            }
        }
        System.out.printf(
                "%-9s %9.2f %8.2f %12d %12d %12d %12d %8s %9d %9d%n",
                label,
                (t1 - t0) / 1e9,
                (t2 - t1) / 1e9,
                fullBytes,
                bytes,
                minimum,
                fullCopy,
                "1/" + Math.round((double) fullCopy / bytes),
                puts,
                changed.size() + 1);
        breakdown.lines().forEach(System.out::println);
        StringBuilder byKind = new StringBuilder("  changed VMs by bundle (VMs, objects, bytes):");
        changedBy.forEach((k, v) -> byKind.append(String.format(" %s %d %d %d;", k, v[0], v[1], v[2])));
        System.out.println(byKind);
        if (bytes * 50 > fullCopy) {
            System.out.println("  TARGET MISSED: incremental bytes exceed 1/50 of a full copy");
        }
        store.reset();
        w.backup(second, "prod", "unchanged", Progress.NONE);
        System.out.printf("  unchanged backup: %d PUT(s), %d bytes%n", store.puts(), store.putBytes());
        return new long[] {fullBytes, bytes};
    }

    private static int index(VmRef ref) {
        return Integer.parseInt(ref.name().substring(ref.name().lastIndexOf('-') + 1));
    }

    /** VM i is a copy of example i % 3 named after i; changed VMs get one more CPU core and a new generation. */
    static List<VmSnapshot> fleet(List<VmSnapshot> templates, int n, Set<Integer> changed) {
        List<VmSnapshot> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            VmSnapshot t = templates.get(i % templates.size());
            String ns = "team-" + (i % 50);
            String name = t.key().name() + "-" + i;
            ObjectNode vm = t.vm().deepCopy();
            ((ObjectNode) vm.get("metadata")).put("name", name).put("namespace", ns);
            long generation = t.generation();
            if (changed.contains(i)) {
                generation++;
                ((ObjectNode) vm.with("spec")
                                .with("template")
                                .with("spec")
                                .with("domain")
                                .with("cpu"))
                        .put("cores", 64);
            }
            List<ObjectNode> deps = new ArrayList<>();
            for (ObjectNode d : t.dependencies()) {
                ObjectNode c = d.deepCopy();
                ((ObjectNode) c.get("metadata"))
                        .put("namespace", ns)
                        .put("name", d.at("/metadata/name").asText() + "-" + i);
                deps.add(c);
            }
            // the bundle carries the identity its entry records (repository-format.md §5.1)
            vm.with("metadata")
                    .with("annotations")
                    .put(io.vmconfig.core.vm.Annotations.SOURCE_UID, "uid-" + i)
                    .put(io.vmconfig.core.vm.Annotations.SOURCE_GENERATION, Long.toString(generation));
            out.add(new VmSnapshot(new VmRef(ns, name), "uid-" + i, generation, vm, deps));
        }
        return out;
    }
}
