package io.vmconfig.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.fs.FolderBlobStore;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoInit;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoWriter;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.SigningKeys;
import io.vmconfig.core.repo.Snapshots;
import io.vmconfig.core.repo.Trust;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.service.sync.DrSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * bench/dr-sync: N VMs (each with its replicated PVC on DR) restored into a DR API server (fabric8's CRUD mock), then
 * a share of them changed at the source, a new set, and a second sync: its API writes (must equal the changed VMs),
 * reads and wall time; then a third sync of an unchanged set (must write nothing).
 */
public final class DrSyncBench {
    public static final String MAP = "apiVersion: vmconfig.io/v1\nkind: VolumeMap\nmode: failover\nunmapped: fail\n"
            + "rules:\n  - {prefix: \"dr-\"}\n";

    private DrSyncBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double share = args.length > 1 ? Double.parseDouble(args[1]) : 0.01;
        int step = (int) Math.round(1 / share);
        int changed = (n + step - 1) / step;
        int parallel = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path dir = Files.createTempDirectory("vmconfig-drsync-");
        SecureRandom random = new SecureRandom();
        KeyPair signer = SigningKeys.generate(random);
        RepositoryKey key = RepositoryKey.of(RepositoryKey.generate(random));
        FolderBlobStore store = new FolderBlobStore(dir.resolve("repo"));
        RepoInit.init(store, List.of(signer.getPublic()), key, Clock.systemUTC(), random);
        RepoWriter writer = new RepoWriter(
                store, signer.getPrivate(), signer.getPublic(), Optional.of(key), Clock.systemUTC(), random, "bench");
        RepoReader reader = new RepoReader(store, Trust.keys(List.of(signer.getPublic())), Optional.of(key));
        System.out.printf(
                "dr-sync: %d VMs, %d changed (%.1f %%), --parallel %d, %d cores, java %s%n",
                n,
                changed,
                100.0 * changed / n,
                parallel,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        try (EmbeddedKube dr = EmbeddedKube.start("dr", dir)) {
            long t0 = System.nanoTime();
            replicatedDisks(dr, n, i -> true);
            DrSync sync = new DrSync(
                    dr.cluster,
                    new ActivationState(dr.cluster, "vmconfig-system", Clock.systemUTC()),
                    new DrRestore(VolumeMap.parse(MAP, "bench map"), UUID::randomUUID),
                    false);
            sync.concurrency(parallel);
            writer.backup(Snapshots.fromExport(ExportBatch.run(fleet(n, -1))), "prod", "bench", Progress.NONE);
            long t1 = System.nanoTime();
            Pass first = pass(sync, reader, dr);
            writer.backup(Snapshots.fromExport(ExportBatch.run(fleet(n, step))), "prod", "bench", Progress.NONE);
            Pass second = pass(sync, reader, dr);
            Pass third = pass(sync, reader, dr);
            System.out.printf("seed %.1f s (%d PVCs)%n", (t1 - t0) / 1e9, n);
            System.out.printf(
                    "%-22s %8s %8s %8s %9s %9s %9s %9s%n",
                    "pass", "writes", "reads", "wall-s", "server-s", "client-s", "updated", "unchanged");
            first.print("1 full restore");
            second.print("2 after 1% changed");
            third.print("3 unchanged set");
            boolean ok = second.writes == changed && third.writes == 0 && first.blocked == 0;
            System.out.println(
                    ok ? "OK: second sync writes = changed VMs (" + changed + "), third writes 0" : "TARGET MISSED");
            System.exit(ok ? 0 : 1);
        }
    }

    /** {@code server}: seconds during which the API server was answering at least one request. */
    record Pass(long writes, long reads, double seconds, double server, long updated, long unchanged, long blocked) {
        void print(String label) {
            System.out.printf(
                    "%-22s %8d %8d %8.2f %9.2f %9.2f %9d %9d%n",
                    label, writes, reads, seconds, server, seconds - server, updated, unchanged);
        }
    }

    private static Pass pass(DrSync sync, RepoReader reader, EmbeddedKube dr) {
        dr.meter.reset();
        long busy = dr.faults.busyNanos();
        long t = System.nanoTime();
        DrSync.Run run = sync.run(reader, "latest", false, false, Progress.NONE);
        DrSync.Report r = run.report();
        DrSync.Applied a = run.applied();
        double s = (System.nanoTime() - t) / 1e9;
        double server = (dr.faults.busyNanos() - busy) / 1e9;
        if (!a.failures().isEmpty()) {
            throw new IllegalStateException("sync failures: " + a.failures().subList(0, 1));
        }
        return new Pass(
                dr.meter.writes(),
                dr.meter.reads(),
                s,
                server,
                r.plans().stream().filter(p -> p.action() == SyncAction.UPDATE).count(),
                r.plans().stream()
                        .filter(p -> p.action() == SyncAction.UNCHANGED)
                        .count(),
                r.plans().stream().filter(p -> p.action() == SyncAction.BLOCKED).count());
    }

    private static String ns(int i) {
        return "team-" + (i % 50);
    }

    /** VM i with its root PVC; every {@code step}-th VM (none if negative) has 4 cores and a new generation. */
    public static List<SourcedObject> fleet(int n, int step) {
        List<SourcedObject> out = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            boolean changed = step > 0 && i % step == 0;
            ObjectNode vm = Json.object();
            vm.put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
            vm.putObject("metadata")
                    .put("name", "vm-" + i)
                    .put("namespace", ns(i))
                    .put("uid", "uid-" + i)
                    .put("generation", changed ? 2 : 1);
            ObjectNode spec = vm.putObject("spec");
            spec.put("runStrategy", "Always");
            ObjectNode pod = spec.putObject("template").putObject("spec");
            ObjectNode domain = pod.putObject("domain");
            domain.putObject("cpu").put("cores", changed ? 4 : 2);
            domain.putObject("memory").put("guest", "4Gi");
            domain.putObject("devices")
                    .putArray("disks")
                    .addObject()
                    .put("name", "root")
                    .putObject("disk")
                    .put("bus", "virtio");
            pod.putArray("volumes")
                    .addObject()
                    .put("name", "root")
                    .putObject("persistentVolumeClaim")
                    .put("claimName", "vm-" + i + "-root");
            out.add(new SourcedObject("bench#" + i, vm));
            out.add(new SourcedObject("bench#" + i + "-pvc", pvc(ns(i), "vm-" + i + "-root", false)));
        }
        return out;
    }

    /**
     * {@code vmconfig backup --from} of {@code objects}, written to {@code dir} as one {@code kubectl get -o json}
     * List, into {@code repo} with {@code keys} (source cluster "prod"); must exit 0.
     */
    public static void backUp(List<SourcedObject> objects, Path dir, String repo, String keys)
            throws java.io.IOException {
        ObjectNode list = Json.object().put("apiVersion", "v1").put("kind", "List");
        com.fasterxml.jackson.databind.node.ArrayNode items = list.putArray("items");
        objects.forEach(o -> items.add(o.object()));
        Path fleet = dir.resolve("fleet.json");
        Json.mapper().writeValue(fleet.toFile(), list);
        io.vmconfig.testing.Cli.Result backup = io.vmconfig.testing.Cli.run(io.vmconfig.testing.TestRepository.args(
                "backup",
                "--from",
                fleet.toString(),
                io.vmconfig.testing.TestRepository.writer(repo, keys),
                "--source-cluster",
                "prod"));
        if (backup.code() != 0) {
            throw new IllegalStateException("backup failed: " + backup.err());
        }
    }

    /** The replicated disk on DR of each VM {@code i < n} of {@link #fleet} that {@code present} accepts. */
    public static void replicatedDisks(EmbeddedKube dr, int n, java.util.function.IntPredicate present) {
        for (int i = 0; i < n; i++) {
            if (present.test(i)) {
                dr.create(pvc(ns(i), "dr-vm-" + i + "-root", true));
            }
        }
    }

    /** The VMs of {@link #fleet} (none changed) and their PVCs, created on {@code prod}. */
    public static void createFleet(EmbeddedKube prod, int n) {
        for (SourcedObject o : fleet(n, -1)) {
            prod.create((ObjectNode) o.object());
        }
    }

    public static ObjectNode pvc(String ns, String name, boolean dr) {
        ObjectNode p = Json.object();
        p.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
        p.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode spec = p.putObject("spec");
        spec.put("volumeMode", "Block").put("storageClassName", "longhorn");
        spec.putArray("accessModes").add("ReadWriteMany");
        spec.putObject("resources").putObject("requests").put("storage", "10Gi");
        if (dr) {
            p.putObject("status").put("phase", "Bound").putObject("capacity").put("storage", "10Gi");
        }
        return p;
    }
}
