package io.vmconfig.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.vmconfig.adapters.embedded.EmbeddedS3;
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
        List<VmSnapshot> templates = Snapshots.fromExport(ExportBatch.run(KubeObjectReader.read(Path.of(
                "examples/production"))));
        List<VmSnapshot> first = fleet(templates, n, Set.of());
        int step = (int) Math.round(1 / changedShare);
        Set<Integer> changed = new java.util.HashSet<>();
        for (int i = 0; i < n; i += step) {
            changed.add(i);
        }
        List<VmSnapshot> second = fleet(templates, n, changed);
        System.out.printf("repo-sync: %d VMs, %d changed (%.1f %%), java %s%n", n, changed.size(),
                100.0 * changed.size() / n, System.getProperty("java.version"));
        System.out.printf("%-9s %9s %8s %12s %12s %12s %8s %9s %9s%n", "store", "full-s", "incr-s", "incr-bytes",
                "min-bytes", "full-copy", "ratio", "incr-PUTs", "min-PUTs");
        Path dir = Files.createTempDirectory("vmconfig-bench-");
        run("folder", new FolderBlobStore(dir.resolve("repo")), first, second, changed);
        run("s3proxy", EmbeddedS3.get().newStore("bench"), first, second, changed);
        System.exit(0);
    }

    private static void run(String label, BlobStore inner, List<VmSnapshot> first, List<VmSnapshot> second,
                            Set<Integer> changed) {
        SecureRandom random = new SecureRandom();
        KeyPair signer = SigningKeys.generate(random);
        RepositoryKey key = RepositoryKey.of(RepositoryKey.generate(random));
        RepoInit.init(inner, List.of(signer.getPublic()), key, Clock.systemUTC(), random);
        MeteredBlobStore store = new MeteredBlobStore(inner);
        RepoWriter w = new RepoWriter(store, signer.getPrivate(), signer.getPublic(), Optional.of(key),
                Clock.systemUTC(), random, "bench");
        long t0 = System.nanoTime();
        w.backup(first, "prod", "full", Progress.NONE);
        long t1 = System.nanoTime();
        store.reset();
        BackupResult r = w.backup(second, "prod", "incremental", Progress.NONE);
        long t2 = System.nanoTime();
        long puts = store.puts();
        long bytes = store.putBytes();
        LoadedSet set = new RepoReader(inner, Trust.keys(List.of(signer.getPublic())), Optional.of(key))
                .load(r.setId());
        long fullCopy = 0;
        long minimum = 0;
        for (var e : set.entries()) {
            fullCopy += e.size();
            if (changed.contains(index(e.key()))) {
                // the changed bundle, plus its entry in the set: the least any format must upload
                minimum += e.size() + CanonicalJson.bytes(CanonicalJson.object().put("bundle", e.bundle().hex())
                        .put("namespace", e.key().namespace()).put("name", e.key().name())
                        .put("generation", e.generation())).length;
            }
        }
        System.out.printf("%-9s %9.2f %8.2f %12d %12d %12d %8s %9d %9d%n", label, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                bytes, minimum, fullCopy, "1/" + Math.round((double) fullCopy / bytes), puts, changed.size() + 1);
        if (bytes * 50 > fullCopy) {
            System.out.println("  TARGET MISSED: incremental bytes exceed 1/50 of a full copy");
        }
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
                ((ObjectNode) vm.with("spec").with("template").with("spec").with("domain").with("cpu"))
                        .put("cores", 64);
            }
            List<ObjectNode> deps = new ArrayList<>();
            for (ObjectNode d : t.dependencies()) {
                ObjectNode c = d.deepCopy();
                ((ObjectNode) c.get("metadata")).put("namespace", ns).put("name", d.at("/metadata/name").asText()
                        + "-" + i);
                deps.add(c);
            }
            // the bundle carries the identity its entry records (repository-format.md §5.1)
            vm.with("metadata").with("annotations").put(io.vmconfig.core.vm.Annotations.SOURCE_UID, "uid-" + i)
                    .put(io.vmconfig.core.vm.Annotations.SOURCE_GENERATION, Long.toString(generation));
            out.add(new VmSnapshot(new VmRef(ns, name), "uid-" + i, generation, vm, deps));
        }
        return out;
    }
}
