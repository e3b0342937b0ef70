package io.vmconfig.service.sync;

import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.DrReader;
import io.vmconfig.adapters.kube.KubeApplier;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.RestoreBatch;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.repo.AppliedRevisions;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.LoadedSet;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoRestoreInput;
import io.vmconfig.core.repo.SetId;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.sync.SafetyRefused;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.SyncInput;
import io.vmconfig.core.sync.SyncPlanner;
import io.vmconfig.core.sync.VmPlan;
import io.vmconfig.core.vm.VmRef;
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
    private volatile int chunk = DEFAULT_CHUNK;

    /** VMs decided (and applied) together by {@link #run}: what a pass holds at once of the set. */
    public static final int DEFAULT_CHUNK = 500;

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

    /**
     * What a plan found: the set, and one decision per VM (plus deletions with {@code pruneDeleted});
     * {@code bundleBytesRead} counts every bundle read, a streamed pass's second walk included.
     */
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

    /** Reads everything and decides; writes nothing. The plans carry their documents (one read of the whole set). */
    public Report plan(RepoReader repo, String set, boolean pruneDeleted) {
        SetId id = repo.resolve(set);
        LoadedSet loaded = repo.load(id);
        DrReader.Scan scan = reader.scan();
        ChunkPlan all = planChunk(repo, id, loaded, loaded.entries(), loaded.problems(), scan);
        List<VmPlan> plans = new ArrayList<>(all.plans());
        plans.addAll(pruned(loaded, scan, pruneDeleted));
        return new Report(
                id.value(),
                loaded.manifest().created(),
                loaded.manifest().sourceCluster(),
                plans,
                all.bytes(),
                all.integrityFailure());
    }

    /** A streamed pass: its report (plans without documents) and what was applied ({@code null} for a dry run). */
    public record Run(Report report, Applied applied) {}

    /**
     * Plan and apply in chunks of {@link #chunk(int)} VMs, so that a pass over a set of any size holds the bundles,
     * restore results and documents of one chunk at a time (docs/architecture.md, "Memory"): a first walk decides
     * every VM and keeps each decision without its documents ({@link VmPlan#withoutDocuments}); the report is
     * checked ({@link #beforeWriting}) before anything is written; a second walk reads again only the bundles of the
     * VMs that write, decides them again against the same DR scan and applies what it decided. The applier's
     * last-moment guard reads each VM again before writing it, as for {@link #apply}. {@code dryRun}: the first walk
     * only.
     */
    public Run run(RepoReader repo, String set, boolean pruneDeleted, boolean dryRun, Progress progress) {
        SetId id = repo.resolve(set);
        LoadedSet loaded = repo.load(id);
        DrReader.Scan scan = reader.scan();
        List<List<Entry>> chunks = chunks(loaded.entries());
        List<VmPlan> plans = new ArrayList<>();
        long bytes = 0;
        boolean integrity = false;
        for (int i = 0; i < chunks.size(); i++) {
            progress.update("plan", i * chunk, loaded.entries().size());
            ChunkPlan c = planChunk(repo, id, loaded, chunks.get(i), i == 0 ? loaded.problems() : List.of(), scan);
            c.plans().forEach(p -> plans.add(p.withoutDocuments()));
            bytes += c.bytes();
            integrity |= c.integrityFailure();
        }
        progress.update("plan", loaded.entries().size(), loaded.entries().size());
        plans.addAll(pruned(loaded, scan, pruneDeleted));
        Report report = new Report(
                id.value(), loaded.manifest().created(), loaded.manifest().sourceCluster(), plans, bytes, integrity);
        if (dryRun) {
            return new Run(report, null);
        }
        beforeWriting.accept(report);
        java.util.Map<VmRef, VmPlan> writing = new java.util.LinkedHashMap<>();
        plans.stream()
                .filter(p -> p.action().writes() && p.action() != SyncAction.DELETE && p.source() != null)
                .forEach(p -> writing.put(p.source(), p));
        List<VmPlan> deletes =
                plans.stream().filter(p -> p.action() == SyncAction.DELETE).toList();
        Tally tally = new Tally(writing.size() + deletes.size());
        long reread = 0;
        try (Workers workers = new Workers(concurrency, tally.total)) {
            KubeApplier applier = new KubeApplier(dr, allowRollback);
            for (List<Entry> chunkEntries : chunks) {
                List<Entry> again = chunkEntries.stream()
                        .filter(e -> writing.containsKey(e.key()))
                        .toList();
                if (again.isEmpty()) {
                    continue;
                }
                java.util.Map<VmRef, VmPlan> decided = new java.util.HashMap<>();
                ChunkPlan second = planChunk(repo, id, loaded, again, List.of(), scan);
                reread += second.bytes();
                second.plans().stream().filter(p -> p.source() != null).forEach(p -> decided.put(p.source(), p));
                List<VmPlan> reported =
                        again.stream().map(e -> writing.get(e.key())).toList();
                workers.apply(applier, reported, p -> secondRead(p, decided.get(p.source())), tally, progress);
            }
            java.util.Set<VmPlan> handled = new java.util.HashSet<>(tally.done);
            handled.addAll(tally.failed);
            writing.values().stream()
                    .filter(p -> !handled.contains(p))
                    .forEach(p -> tally.add(
                            p,
                            new Outcome(
                                    0,
                                    p.name() + ": not applied, no entry of the set names it on the second read",
                                    Optional.empty())));
            workers.apply(applier, deletes, p -> p, tally, progress);
        }
        progress.update("apply", tally.total, tally.total);
        // the bundles the second walk read again count as read (the repository-read metric)
        Report read = new Report(
                report.setId(), report.setCreated(), report.sourceCluster(), plans, bytes + reread, integrity);
        return new Run(read, tally.applied());
    }

    /**
     * The plan to write for {@code reported} from the second read: the same decision with its documents. A decision
     * that came out differently (the set and the DR scan are the same, so it should not) is not written.
     */
    private static VmPlan secondRead(VmPlan reported, VmPlan again) {
        if (again == null
                || again.action() != reported.action()
                || again.documents().isEmpty()) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTERNAL,
                    "not applied: the second read of its bundle decided "
                            + (again == null ? "nothing" : again.action().name().toLowerCase(java.util.Locale.ROOT))
                            + " where the plan decided "
                            + reported.action().name().toLowerCase(java.util.Locale.ROOT));
        }
        return again;
    }

    /** The DR VMs {@code --prune-deleted} deletes (none without it), within the namespaces given. */
    private List<VmPlan> pruned(LoadedSet loaded, DrReader.Scan scan, boolean pruneDeleted) {
        if (!pruneDeleted) {
            return List.of();
        }
        SyncInput input = new SyncInput(
                loaded.manifest().setId().value(), loaded.manifest().sourceCluster(), loaded.entries(), List.of());
        return SyncPlanner.pruneDeleted(input, scan.state()).stream()
                .filter(this::inNamespaces)
                .toList();
    }

    private boolean inNamespaces(VmPlan p) {
        return namespaces.isEmpty()
                || (p.source() != null && namespaces.contains(p.source().namespace()));
    }

    /** One chunk's decisions, with documents, and what reading it found. */
    private record ChunkPlan(List<VmPlan> plans, long bytes, boolean integrityFailure) {}

    /**
     * Decides the VMs of {@code entries} (and reports {@code problems}, the set's own): their bundles read and checked,
     * restored with the DR inventory's pre-flight, each planned against the DR state.
     */
    private ChunkPlan planChunk(
            RepoReader repo,
            SetId id,
            LoadedSet loaded,
            List<Entry> entries,
            List<io.vmconfig.core.repo.Problem> problems,
            DrReader.Scan scan) {
        List<io.vmconfig.core.batch.SourcedObject> objects = new ArrayList<>();
        List<Entry> admitted = new ArrayList<>();
        List<VmResult> refused = new ArrayList<>();
        // Revisions are ordered against what each DR VM's annotations say was applied, not a local file.
        RepoRestoreInput.Flags flags = RepoRestoreInput.each(
                repo,
                id,
                w -> {
                    problems.forEach(w::problem);
                    entries.forEach(w::entry);
                },
                new AppliedRevisions(),
                true,
                (e, vmObjects) -> {
                    objects.addAll(vmObjects);
                    admitted.add(e);
                },
                refused::add);
        io.vmconfig.core.vm.VmSelection only = selection;
        objects.removeIf(o -> o.kind().equals(io.vmconfig.core.vm.VirtualMachines.KIND)
                && !only.matches(
                        new VmRef(o.namespace(), o.name()),
                        Optional.of(io.vmconfig.core.vm.VmSelection.labels(o.object()))));
        List<VmResult> results = new ArrayList<>(RestoreBatch.run(objects, restore, Optional.of(scan.inventory())));
        refused.stream()
                .filter(r -> r.ref() == null || only.matches(r.ref(), Optional.empty()))
                .forEach(results::add);
        SyncInput input = new SyncInput(id.value(), loaded.manifest().sourceCluster(), entries, results);
        List<VmPlan> plans = new ArrayList<>(planner.plan(input, scan.state()));
        if (!namespaces.isEmpty()) {
            plans.removeIf(p -> !inNamespaces(p));
        }
        return new ChunkPlan(plans, admitted.stream().mapToLong(Entry::size).sum(), flags.integrityFailure());
    }

    private List<List<Entry>> chunks(List<Entry> entries) {
        List<List<Entry>> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i += chunk) {
            out.add(entries.subList(i, Math.min(entries.size(), i + chunk)));
        }
        if (out.isEmpty()) {
            out.add(List.of()); // a set without entries still reports its problems
        }
        return out;
    }

    /** Applies every writing decision of {@code report}; one VM's failure does not stop the others. */
    public Applied apply(Report report) {
        return apply(report, Progress.NONE);
    }

    /**
     * The same, reporting each VM written or failed to {@code progress} (phase "apply"). VMs are applied by up to
     * {@link #concurrency(int)} workers; each VM's own writes stay in order (namespace, dependencies, the VM), the
     * client's QPS/burst bucket is shared by all of them, and results and progress follow the order of the plans. A
     * streamed report ({@link #run}) carries no documents and is refused: its plans are applied by {@link #run}.
     */
    public Applied apply(Report report, Progress progress) {
        List<VmPlan> writing =
                report.plans().stream().filter(p -> p.action().writes()).toList();
        writing.stream().filter(VmPlan::documentsDropped).findFirst().ifPresent(p -> {
            throw new VmConfigException(
                    VmConfigException.Kind.INTERNAL,
                    "apply of " + p.name() + " refused: its plan carries no documents (a streamed plan is applied"
                            + " by its own run)");
        });
        beforeWriting.accept(report);
        Tally tally = new Tally(writing.size());
        try (Workers workers = new Workers(concurrency, tally.total)) {
            workers.apply(new KubeApplier(dr, allowRollback), writing, p -> p, tally, progress);
        }
        progress.update("apply", tally.total, tally.total);
        return tally.applied();
    }

    /** What a pass applied so far, in the order of its plans. */
    private static final class Tally {
        final int total;
        int written;
        final List<String> failures = new ArrayList<>();
        final List<VmPlan> done = new ArrayList<>();
        final List<VmPlan> failed = new ArrayList<>();
        final List<String> refused = new ArrayList<>();

        Tally(int total) {
            this.total = total;
        }

        void add(VmPlan reported, Outcome o) {
            written += o.written();
            if (o.failure() == null) {
                done.add(reported);
            } else {
                failed.add(reported);
                failures.add(o.failure());
                o.refusedCode().ifPresent(refused::add);
            }
        }

        Applied applied() {
            return new Applied(written, failures, done, failed, refused);
        }
    }

    /** Up to {@link #concurrency} VMs applied at once (one thread pool for a whole pass), in order of results. */
    private final class Workers implements AutoCloseable {
        private final ExecutorService pool;

        Workers(int concurrency, int total) {
            int n = Math.min(concurrency, Math.max(1, total));
            this.pool = n == 1
                    ? null
                    : Executors.newFixedThreadPool(n, r -> {
                        Thread t = new Thread(r, "vmconfig-apply");
                        t.setDaemon(true);
                        return t;
                    });
        }

        /**
         * Applies {@code toWrite(p)} for each of {@code reported} (what the pass reports), recording each outcome
         * against the reported plan; a plan {@code toWrite} cannot give fails with why and the others go on.
         */
        void apply(
                KubeApplier applier,
                List<VmPlan> reported,
                java.util.function.UnaryOperator<VmPlan> toWrite,
                Tally tally,
                Progress progress) {
            List<Future<Outcome>> pending = new ArrayList<>(reported.size());
            if (pool != null) {
                for (VmPlan p : reported) {
                    pending.add(pool.submit(() -> applyOne(applier, p, toWrite)));
                }
            }
            for (int i = 0; i < reported.size(); i++) {
                VmPlan p = reported.get(i);
                progress.update("apply", tally.done.size() + tally.failures.size(), tally.total);
                tally.add(p, pool == null ? applyOne(applier, p, toWrite) : await(pending.get(i), p));
            }
        }

        @Override
        public void close() {
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

    /** How many VMs of the set {@link #run} reads, decides and applies together (at least 1). */
    public void chunk(int n) {
        if (n < 1) {
            throw VmConfigException.config("the chunk size must be at least 1, not " + n);
        }
        this.chunk = n;
    }

    /** One VM's apply: written objects, or why it failed (and the guard's reason code when the guard refused). */
    private record Outcome(int written, String failure, Optional<String> refusedCode) {}

    private Outcome applyOne(KubeApplier applier, VmPlan p, java.util.function.UnaryOperator<VmPlan> toWrite) {
        if (!dr.mayWrite()) {
            // the Lease is lost: another replica may be writing; nothing more is attempted
            return new Outcome(
                    0, p.name() + ": not applied, this replica no longer holds the sync Lease", Optional.empty());
        }
        try {
            return new Outcome(applier.apply(toWrite.apply(p)), null, Optional.empty());
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
