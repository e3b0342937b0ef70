package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.ExportStream;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.BackupResult;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoWriter;
import io.vmconfig.core.repo.RootObject;
import io.vmconfig.core.repo.SnapshotStream;
import io.vmconfig.core.repo.Snapshots;
import io.vmconfig.service.backup.ClusterSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vmconfig backup}: the config-only VMs of kubectl output, as a new signed set in the repository. */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        header = "Stores each VM's definition and dependencies, from files or a cluster, as a signed set.",
        description = {
            "Writes a set: the bundle of each VM in PATH (config-only VM + its dependencies found in",
            "PATH, as 'export' builds them). Unchanged VMs upload nothing; the signed set manifest is written last."
        })
public final class BackupCommand extends RepoReadCommand {
    @Option(
            names = "--from",
            paramLabel = "PATH",
            description = "file or folder of Kubernetes objects (default: read the cluster, like kubectl)")
    Path from;

    @Mixin
    KubeOptions kube;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "with --context: only this namespace")
    String namespace;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "with --context: every namespace (the default)")
    boolean allNamespaces;

    @Option(
            names = {"-l", "--selector"},
            paramLabel = "SELECTOR",
            description = "with --context: VM label selector")
    String selector;

    private final KubeConnector connector;

    @Option(
            names = "--without-secrets",
            description = "with --context: back up a VM whose Secrets the caller may not"
                    + " list without them (recorded in the set as vmconfig.io/secrets-omitted) instead of refusing it")
    boolean withoutSecrets;

    /** Namespaces whose Secrets the cluster refused to list to the caller (403), as found so far. */
    private java.util.Set<String> unreadableSecrets = java.util.Set.of();
    /** VMs backed up without their Secrets (--without-secrets): said, never silent. */
    private final List<String> warnings = new java.util.ArrayList<>();

    @Option(names = "--signing-key", required = true, paramLabel = "FILE", description = "Ed25519 private key")
    Path signingKey;

    @Option(
            names = "--source-cluster",
            paramLabel = "NAME",
            description = "name of the source cluster recorded in the set (default: the --context name, else default)")
    String sourceCluster;

    @Option(names = "--run", paramLabel = "NAME", description = "run name recorded in the set (default: cli)")
    String run = "cli";

    public BackupCommand(RepoEnvironment env, KubeConnector connector) {
        super(env);
        this.connector = connector;
    }

    @Option(
            names = "--page-size",
            defaultValue = "" + KubeCluster.PAGE_SIZE,
            paramLabel = "N",
            description = "with --context: reads VMs N at a time (list limit/continue); the backup holds one page of"
                    + " VMs with their objects (default: ${DEFAULT-VALUE})")
    int pageSize;

    @Override
    public Integer call() {
        if (from != null && kube.given()) {
            throw VmConfigException.config("give one source: --from PATH or the cluster (--context/--kubeconfig)");
        }
        if (from != null) {
            // a file at a time: the backup streams (architecture.md, Memory)
            ExportStream export = ExportStream.index(KubeObjectReader.source(from));
            return backup(export::forEach, export::vmCount);
        }
        // no --from: the cluster of --context/--kubeconfig, else $KUBECONFIG, ~/.kube/config or in-cluster (CronJob),
        // read a page of VMs at a time while the writer stores them
        if (namespace != null && allNamespaces) {
            throw VmConfigException.config("give -n NAMESPACE or -A, not both");
        }
        try (KubeCluster source = kube.connect(connector)) {
            if (sourceCluster == null) {
                sourceCluster = source.name();
            }
            ClusterSource cluster = new ClusterSource(source, namespace, selector, pageSize);
            unreadableSecrets = cluster.unreadableSecrets(); // grows as the walk finds them
            return backup(cluster::forEach, cluster::vmCount);
        }
    }

    /**
     * Writes the set of the VMs {@code walk} exports one at a time (it may be walked again: the writer's dictionary
     * training); {@code count} is how many there are as far as known before a walk (for progress).
     */
    private int backup(
            java.util.function.Consumer<java.util.function.Consumer<VmResult>> walk,
            java.util.function.IntSupplier count) {
        BlobStore store = repo.store(env);
        RootObject root = RepoReader.readRoot(store);
        PrivateKey sk = KeyFiles.privateKey(signingKey);
        PublicKey pk = root.signerFor(sk)
                .orElseThrow(() -> VmConfigException.config("the signing key is not one of this repository's signers"));
        PrintWriter err = err();
        // the VMs are exported one at a time as the writer walks them; what is said of them is what the last
        // walk found (a walk is repeatable: the same files give the same results)
        List<VmResult> failed = new java.util.ArrayList<>();
        List<String> omitted = new java.util.ArrayList<>();
        SnapshotStream snapshots = each -> {
            failed.clear();
            omitted.clear();
            walk.accept(exported -> {
                VmResult v =
                        io.vmconfig.core.access.UnreadableSecrets.apply(exported, unreadableSecrets, withoutSecrets);
                if (!v.ok()) {
                    failed.add(v);
                    return;
                }
                v.details().stream()
                        .filter(d -> d.contains(io.vmconfig.core.access.UnreadableSecrets.OMITTED))
                        .forEach(d -> omitted.add(v.ref() + ": " + d.replaceFirst("^warning: ", "")));
                each.accept(Snapshots.of(v));
            });
        };
        BackupResult r = new RepoWriter(
                        store, sk, pk, repo.repositoryKey(), env.clock(), env.random(), VersionProvider.version())
                .backup(
                        snapshots,
                        count.getAsInt(),
                        sourceCluster == null ? "default" : sourceCluster,
                        run,
                        new ProgressPrinter(err));
        warnings.addAll(omitted);
        print(out(), r, failed);
        if (failed.stream().anyMatch(v -> v.status() == VmResult.Status.REFUSED)) {
            return ExitCodes.REFUSED; // a VM whose Secrets may not be read (docs/permissions.md)
        }
        return failed.isEmpty() && r.refusedOlder().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    private void print(PrintWriter out, BackupResult r, List<VmResult> failed) {
        ObjectNode t = Json.object();
        t.put("set", r.setId().value());
        t.put("vms", r.vmCount());
        t.put("changed", r.changedVms());
        t.put("bundlesWritten", r.bundlesWritten());
        t.put("manifestsWritten", r.manifestsWritten());
        t.put("bytesWritten", r.bytesWritten());
        r.refusedOlder().forEach(v -> t.withArray("refusedOlder").add(v.toString()));
        failed.forEach(v -> t.withArray("failed")
                .addObject()
                .put("vm", v.ref() == null ? v.origin() : v.ref().toString())
                .put("reason", String.join("; ", v.details())));
        r.warnings().forEach(w -> t.withArray("warnings").add(w));
        warnings.forEach(w -> t.withArray("warnings").add(w));
        if (Emit.structured(out, output, t)) {
            return;
        }
        Emit.table(
                out,
                List.of("SET", "VMS", "CHANGED", "BUNDLES", "MANIFESTS", "BYTES"),
                List.of(List.of(
                        r.setId().value(),
                        "" + r.vmCount(),
                        "" + r.changedVms(),
                        "" + r.bundlesWritten(),
                        "" + r.manifestsWritten(),
                        "" + r.bytesWritten())));
        r.refusedOlder().forEach(v -> out.println("refused " + v + ": its revision is older than the one recorded"));
        failed.forEach(v -> out.println(
                "failed " + (v.ref() == null ? v.origin() : v.ref()) + ": " + String.join("; ", v.details())));
        r.warnings().forEach(w -> out.println("warning: " + w));
        warnings.forEach(w -> out.println("warning: " + w));
    }
}
