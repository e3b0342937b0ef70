package io.vmconfig.cli;

import io.vmconfig.adapters.files.AtomicTreeWriter;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.RestoreBatch;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.repo.AppliedRecord;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.LoadedSet;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoRestoreInput;
import io.vmconfig.core.repo.SetId;
import io.vmconfig.core.repo.SetManifest;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.RestoreMode;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.service.access.WritePermissions;
import io.vmconfig.service.sync.DrSync;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmconfig restore}: DR-ready manifests from exported VM definitions. */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        header = "Turns exported VMs or a stored set into halted DR VMs on the replicated volumes.",
        description = {
            "Writes DR-ready manifests (VMs Halted, claims remapped to the replicated PVCs) in the same",
            "layout, ready for 'kubectl apply -f'. Blocked VMs are not written and are listed with every reason.",
            "With --repo and --context (or --repo without --out: the kubeconfig's current context, or in-cluster)",
            "it applies the set into the DR cluster instead, as 'plan' shows it."
        })
public final class RestoreCommand implements Callable<Integer> {
    static final String APPLIED_STATE = ".vmconfig-applied.json";
    private final Supplier<UUID> uuids;
    private final RepoEnvironment env;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--from",
            paramLabel = "DIR",
            description = "exported definitions (file or folder); or read a set with --repo")
    Path from;

    @Mixin
    RepoOptions repo;

    @Option(
            names = "--set",
            paramLabel = "ID",
            defaultValue = "latest",
            description = "with --repo: the set to restore (default: ${DEFAULT-VALUE})")
    String set;

    @Option(
            names = "--vm",
            paramLabel = "NAMESPACE/NAME",
            description = "with --repo and --out: restore only this VM (repeatable); reads only the objects that lead"
                    + " to it, however large the set")
    List<String> vms;

    @Option(
            names = {"--allow-older", "--allow-rollback"},
            description = "with --repo: apply revisions older than the ones applied before")
    boolean allowOlder;

    @Option(names = "--map", required = true, paramLabel = "FILE", description = "the VolumeMap")
    Path map;

    @Option(
            names = "--prune-deleted",
            description = "with --context: delete halted DR VMs vmconfig wrote whose source VM is not in the set")
    boolean pruneDeleted;

    @Mixin
    KubeOptions kube;

    @Option(
            names = {"--parallel", "--concurrency"},
            defaultValue = "8",
            paramLabel = "N",
            description = "with --context: " + DrTarget.PARALLEL_HELP)
    int parallel;

    @Option(names = "--mode", paramLabel = "MODE", description = "failover or copy (default: the VolumeMap's mode)")
    String mode;

    @Option(
            names = "--dr-inventory",
            paramLabel = "FILE",
            description = "DR objects for the pre-flight: 'kubectl get pvc,net-attach-def,sc,vm,"
                    + "virtualmachineclusterinstancetypes,virtualmachineclusterpreferences -A -o yaml'")
    Path inventory;

    @Mixin
    BatchOptions batch;

    private final KubeConnector connector;

    public RestoreCommand(Supplier<UUID> uuids, RepoEnvironment env, KubeConnector connector) {
        this.uuids = uuids;
        this.env = env;
        this.connector = connector;
    }

    @Override
    public Integer call() {
        VolumeMap volumeMap = readMap(map);
        if (mode != null) {
            volumeMap = volumeMap.withMode(RestoreMode.parse(mode, "--mode"));
        }
        Optional<DrInventory> inv = Optional.ofNullable(inventory)
                .map(p -> DrInventory.of(
                        KubeObjectReader.read(p).stream().map(o -> o.object()).toList()));
        if ((from == null) == !repo.given()) {
            throw VmConfigException.config("give exactly one source: --from DIR or --repo URL");
        }
        if (kube.given() || (repo.given() && from == null && batch.out == null)) {
            return intoCluster(volumeMap); // --repo without --out: into the cluster, like kubectl (in-cluster too)
        }
        if (from != null) {
            List<VmResult> results = BatchOutput.fitFileNames(
                    RestoreBatch.run(KubeObjectReader.read(from), new DrRestore(volumeMap, uuids), inv));
            Map<VmResult, String> files = BatchOutput.write(batch.out(), results, batch.dryRun);
            ResultPrinter.print(spec.commandLine().getOut(), batch.output, "restore", results, files);
            return BatchOutput.exitCode(results);
        }
        return fromRepository(volumeMap, inv);
    }

    /** The same restore, its input read from a verified set (repository-format.md §7, §8). */
    private int fromRepository(VolumeMap volumeMap, Optional<DrInventory> inv) {
        RepoReader reader = repo.reader(env);
        SetId id = reader.resolve(set);
        SetManifest manifest = reader.manifest(id);
        LoadedSet only = vms == null || vms.isEmpty()
                ? null
                : reader.loadOnly(id, vms.stream().map(VmRef::parse).toList());
        if (only != null) {
            vms.stream()
                    .map(VmRef::parse)
                    .filter(v -> only.entry(v).isEmpty()
                            && only.problems().stream()
                                    .noneMatch(p -> p.object().equals(v.toString())))
                    .findFirst()
                    .ifPresent(v -> {
                        throw VmConfigException.config("VM " + v + " is not in set " + id);
                    });
        }
        // one VM at a time: its bundle read, restored and its file staged, its report line spooled to a temporary
        // file and its line of the applied record written beside the output, so no more than one is held and the
        // state does not grow with the set (docs/architecture.md, "Memory")
        DrRestore restore = new DrRestore(volumeMap, uuids);
        Path appliedFile = batch.out().resolve(APPLIED_STATE);
        try (ResultSpool report = new ResultSpool();
                AtomicTreeWriter.Pending record =
                        batch.dryRun ? null : AtomicTreeWriter.pending(batch.out(), APPLIED_STATE)) {
            AppliedRecord applied = new AppliedRecord(
                    Files.exists(appliedFile) ? Optional.of(() -> open(appliedFile)) : Optional.empty(),
                    appliedFile.toString(),
                    record == null ? OutputStream.nullOutputStream() : record.stream());
            RepoRestoreInput.Flags flags;
            try (BatchOutput.Streamed output = new BatchOutput.Streamed(batch.out(), batch.dryRun)) {
                BiConsumer<Entry, List<SourcedObject>> admitted = (e, objects) -> {
                    for (VmResult r : BatchOutput.fitFileNames(RestoreBatch.run(objects, restore, inv))) {
                        report.add(r, output.add(r));
                        if (r.ok() && !batch.dryRun && e.key().equals(r.ref())) {
                            applied.record(e);
                        }
                    }
                };
                Consumer<VmResult> refused = r -> report.add(r, null);
                flags = RepoRestoreInput.each(
                        reader,
                        id,
                        only == null ? w -> reader.each(manifest, w) : RepoRestoreInput.entriesOf(only),
                        applied,
                        allowOlder,
                        admitted,
                        refused);
                output.commit();
            }
            applied.finish();
            if (record != null) {
                record.place();
            }
            ResultPrinter.print(spec.commandLine().getOut(), batch.output, "restore", report);
            if (flags.integrityFailure()) {
                return ExitCodes.INTEGRITY;
            }
            return flags.olderRefused() ? ExitCodes.REFUSED : report.exitCode();
        }
    }

    /** {@code --context}: the set applied into the DR cluster (plan, then write), or only planned with --dry-run. */
    private int intoCluster(VolumeMap volumeMap) {
        if (from != null || batch.out != null || inventory != null) {
            throw VmConfigException.config("--context writes into a cluster: give --repo, not --from, --out or"
                    + " --dr-inventory (the inventory is read from the cluster)");
        }
        try (KubeCluster dr = kube.connect(connector)) {
            DrSync sync =
                    new DrSync(dr, kube.stateNamespace(), env.clock(), new DrRestore(volumeMap, uuids), allowOlder);
            sync.concurrency(parallel);
            WritePermissions.beforeRestore(dr, sync, env.clock());
            DrSync.Run run = sync.run(
                    repo.reader(env),
                    set,
                    pruneDeleted,
                    batch.dryRun,
                    new ProgressPrinter(spec.commandLine().getErr()));
            PlanPrinter.print(spec.commandLine().getOut(), batch.output, run.report(), run.applied());
            return DrTarget.exitCode(run.report(), run.applied());
        }
    }

    private static InputStream open(Path file) {
        try {
            return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
            throw VmConfigException.config(
                    "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    static VolumeMap readMap(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > io.vmconfig.core.json.Json.MAX_DOCUMENT_LENGTH) {
                throw VmConfigException.config(
                        file + ": " + Files.size(file) + " bytes is not a VolumeMap;" + " refused before parsing");
            }
            return VolumeMap.parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw VmConfigException.config(file + ": cannot read the VolumeMap: " + e.getMessage());
        }
    }
}
