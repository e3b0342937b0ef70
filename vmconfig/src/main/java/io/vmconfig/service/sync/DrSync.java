package io.vmconfig.service.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.DrReader;
import io.vmconfig.adapters.kube.KubeApplier;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.RestoreBatch;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.repo.AppliedRevisions;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.LoadedSet;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoRestoreInput;
import io.vmconfig.core.repo.SetId;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.sync.DrState;
import io.vmconfig.core.sync.SafetyRefused;
import io.vmconfig.core.sync.SyncInput;
import io.vmconfig.core.sync.SyncPlanner;
import io.vmconfig.core.sync.VmPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plan and restore of one set into a DR cluster: reads the set (verified) and the DR cluster, runs the DR restore
 * with the DR inventory's pre-flight, plans each VM ({@link SyncPlanner}) and applies the plan ({@link KubeApplier}).
 * The entry point for {@code plan}, {@code restore --context}, {@code sync} and the drill.
 */
public final class DrSync {
    private final KubeCluster dr;
    private final DrReader reader;
    private final DrRestore restore;
    private final SyncPlanner planner;
    private volatile java.util.function.Consumer<Report> beforeWriting = r -> {};
    private final boolean allowRollback;
    private final java.util.Set<String> namespaces;
    private volatile int concurrency = 1;
    private volatile io.vmconfig.core.vm.VmSelection selection = io.vmconfig.core.vm.VmSelection.ALL;

    public DrSync(KubeCluster dr, ActivationState activation, DrRestore restore, boolean allowRollback) {
        this(dr, activation, restore, allowRollback, java.util.Set.of());
    }

    /** The DR site's activation state in the ConfigMap of {@code stateNamespace} (commands' --state-namespace). */
    public DrSync(
            KubeCluster dr, String stateNamespace, java.time.Clock clock, DrRestore restore, boolean allowRollback) {
        this(dr, new ActivationState(dr, stateNamespace, clock), restore, allowRollback);
    }

    /** {@code namespaces}: only VMs from these source namespaces are planned (empty: every VM of the set). */
    public DrSync(
            KubeCluster dr,
            ActivationState activation,
            DrRestore restore,
            boolean allowRollback,
            java.util.Set<String> namespaces) {
        this.namespaces = java.util.Set.copyOf(namespaces);
        this.dr = dr;
        this.reader = new DrReader(dr, activation);
        this.restore = restore;
        this.planner = new SyncPlanner(allowRollback);
        this.allowRollback = allowRollback;
    }

    /** What a plan found: the set, and one decision per VM (plus deletions with {@code pruneDeleted}). */
    public record Report(
            String setId,
            Instant setCreated,
            String sourceCluster,
            List<VmPlan> plans,
            long bundleBytesRead,
            boolean integrityFailure) {}

    /**
     * The outcome of applying a report: objects written, the VMs that failed with why ({@code failures}, in the
     * order of {@code failed}), those done, and the reason codes of the writes the applier's last-moment DR-safety
     * guard refused ({@code refusedCodes}: what exit codes read, never the messages).
     */
    public record Applied(
            int objectsWritten,
            List<String> failures,
            List<VmPlan> done,
            List<VmPlan> failed,
            List<String> refusedCodes) {
        public Applied {
            failures = List.copyOf(failures);
            done = List.copyOf(done);
            failed = List.copyOf(failed);
            refusedCodes = List.copyOf(refusedCodes);
        }

        public Applied(int objectsWritten, List<String> failures, List<VmPlan> done) {
            this(objectsWritten, failures, done, List.of(), List.of());
        }

        /** Why {@code plan} failed, if it did. */
        public Optional<String> failureOf(VmPlan plan) {
            int i = failed.indexOf(plan);
            return i < 0 || i >= failures.size() ? Optional.empty() : Optional.of(failures.get(i));
        }
    }

    /**
     * {@code check} is given every report before it is applied and may refuse it by throwing (the permission
     * pre-flight), so that nothing of it is written.
     */
    public void beforeWriting(java.util.function.Consumer<Report> check) {
        this.beforeWriting = check;
    }

    /** Reads everything and decides; writes nothing. */
    public Report plan(RepoReader repo, String set, boolean pruneDeleted) {
        SetId id = repo.resolve(set);
        LoadedSet loaded = repo.load(id);
        // Revisions are ordered against what each DR VM's annotations say was applied, not a local file.
        RepoRestoreInput in = RepoRestoreInput.read(repo, loaded, new AppliedRevisions(), true);
        List<ObjectNode> drVms = reader.vms();
        DrInventory inventory = reader.inventory(drVms);
        io.vmconfig.core.vm.VmSelection only = selection;
        List<io.vmconfig.core.batch.SourcedObject> objects = in.objects().stream()
                .filter(o -> !o.kind().equals(io.vmconfig.core.vm.VirtualMachines.KIND)
                        || only.matches(
                                new io.vmconfig.core.vm.VmRef(o.namespace(), o.name()),
                                Optional.of(io.vmconfig.core.vm.VmSelection.labels(o.object()))))
                .toList();
        List<VmResult> results = new ArrayList<>(RestoreBatch.run(objects, restore, Optional.of(inventory)));
        in.refused().stream()
                .filter(r -> r.ref() == null || only.matches(r.ref(), Optional.empty()))
                .forEach(results::add);
        SyncInput input = new SyncInput(id.value(), loaded.manifest().sourceCluster(), loaded.entries(), results);
        DrState state = reader.state(drVms);
        List<VmPlan> plans = new ArrayList<>(planner.plan(input, state));
        if (pruneDeleted) {
            plans.addAll(SyncPlanner.pruneDeleted(input, state));
        }
        if (!namespaces.isEmpty()) {
            plans.removeIf(
                    p -> p.source() == null || !namespaces.contains(p.source().namespace()));
        }
        long bytes = in.admitted().stream().mapToLong(Entry::size).sum();
        return new Report(
                id.value(),
                loaded.manifest().created(),
                loaded.manifest().sourceCluster(),
                plans,
                bytes,
                in.integrityFailure());
    }

    /** Applies every writing decision of {@code report}; one VM's failure does not stop the others. */
    public Applied apply(Report report) {
        return apply(report, Progress.NONE);
    }

    /**
     * The same, reporting each VM written or failed to {@code progress} (phase "apply"). VMs are applied by up to
     * {@link #concurrency(int)} workers; each VM's own writes stay in order (namespace, dependencies, the VM), the
     * client's QPS/burst bucket is shared by all of them, and results and progress follow the order of the plans.
     */
    public Applied apply(Report report, Progress progress) {
        beforeWriting.accept(report);
        KubeApplier applier = new KubeApplier(dr, allowRollback);
        List<VmPlan> writing =
                report.plans().stream().filter(p -> p.action().writes()).toList();
        int total = writing.size();
        int workers = Math.min(concurrency, Math.max(1, total));
        ExecutorService pool = workers == 1
                ? null
                : Executors.newFixedThreadPool(workers, r -> {
                    Thread t = new Thread(r, "vmconfig-apply");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<Outcome>> pending = new ArrayList<>(total);
            for (VmPlan p : writing) {
                if (pool != null) {
                    pending.add(pool.submit(() -> applyOne(applier, p)));
                }
            }
            int written = 0;
            List<String> failures = new ArrayList<>();
            List<VmPlan> done = new ArrayList<>();
            List<VmPlan> failed = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                VmPlan p = writing.get(i);
                progress.update("apply", done.size() + failures.size(), total);
                Outcome o = pool == null ? applyOne(applier, p) : await(pending.get(i), p);
                written += o.written();
                if (o.failure() == null) {
                    done.add(p);
                } else {
                    failed.add(p);
                    failures.add(o.failure());
                    o.refusedCode().ifPresent(refused::add);
                }
            }
            progress.update("apply", total, total);
            return new Applied(written, failures, done, failed, refused);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Only the VMs {@code only} selects are planned (by name and labels as captured; a VM whose bundle could not be
     * read is kept only when named, its labels being unknown). Default: every VM.
     */
    public void select(io.vmconfig.core.vm.VmSelection only) {
        this.selection = only;
    }

    /** How many VMs are applied at once (1: one after another). */
    public void concurrency(int n) {
        if (n < 1) {
            throw VmConfigException.config("--parallel must be at least 1, not " + n);
        }
        this.concurrency = n;
    }

    /** One VM's apply: written objects, or why it failed (and the guard's reason code when the guard refused). */
    private record Outcome(int written, String failure, Optional<String> refusedCode) {}

    private Outcome applyOne(KubeApplier applier, VmPlan p) {
        if (!dr.mayWrite()) {
            // the Lease is lost: another replica may be writing; nothing more is attempted
            return new Outcome(
                    0, p.name() + ": not applied, this replica no longer holds the sync Lease", Optional.empty());
        }
        try {
            return new Outcome(applier.apply(p), null, Optional.empty());
        } catch (SafetyRefused e) {
            return new Outcome(
                    0, p.name() + ": " + e.getMessage(), Optional.of(e.verdict().code()));
        } catch (VmConfigException e) {
            return new Outcome(0, p.name() + ": " + e.getMessage(), Optional.empty());
        }
    }

    private static Outcome await(Future<Outcome> f, VmPlan p) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmConfigException(VmConfigException.Kind.TRANSIENT, "apply of " + p.name() + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "apply of " + p.name() + " failed", c);
        }
    }
}
