package io.vmconfig.service.failback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.DrReader;
import io.vmconfig.adapters.kube.KubeAccess;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.SourceReader;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.access.RequiredPermissions;
import io.vmconfig.core.access.UnreadableSecrets;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.repo.BackupResult;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoWriter;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.Snapshots;
import io.vmconfig.core.repo.Trust;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.sync.DrState;
import io.vmconfig.core.sync.DrVm;
import io.vmconfig.core.sync.ReasonCodes;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VirtualMachines;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.service.access.PermissionPreflight;
import io.vmconfig.service.activation.Activator;
import io.vmconfig.service.sync.DrSync;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Failback, the use case behind {@code vmconfig failback}: brings production back in line with what the DR site
 * runs now (docs/dr-runbook.md §5), as one resumable run. In order, and stopping at the first step that cannot be
 * completed:
 *
 * <ol>
 *   <li><b>read</b> the DR VMs vmconfig manages (read only) and export them as {@code backup --context DR} would;
 *   <li><b>map</b>: the reverse VolumeMap given, or the forward one inverted (only a one-to-one map inverts);
 *   <li><b>back up</b> DR into the failback repository with DR as the source cluster, held back (a
 *       {@link StagedStore}) until the plan below passes, so that a refusal or a dry run stores nothing;
 *   <li><b>plan</b> that set onto production with the DR-safety decision: the original production VMs are adopted
 *       by their recorded uid ({@code ADOPTED}), any VM that is running, blocked or foreign stops the whole run
 *       before anything is written;
 *   <li><b>check permissions</b> on both clusters for every write still to come (the pre-flight), then write
 *       the set and apply it on production, halted (the trace now names DR as the source);
 *   <li>with {@code activate}: production's VMs get their run strategy back and DR's copies their activation mark
 *       removed (a subset of an activated site is recorded as failed back in DR's state, the site staying activated
 *       for the other VMs), so that sync keeps exactly those in step again. Refused up front while a DR copy still runs: both sites must
 *       never run one VM at once.
 * </ol>
 *
 * A run that stopped half-way (a fault, a lost connection) is resumed by running it again: unchanged VMs are not
 * written again, adopted VMs are now vmconfig's, activated ones are left alone.
 */
public final class Failback {
    /** The reason code of a DR VM that could not be exported (its details say why). */
    public static final String EXPORT_FAILED = "EXPORT_FAILED";

    private final KubeCluster dr;
    private final KubeCluster prod;
    private final BlobStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Supplier<UUID> uuids;
    private final String version;

    /** {@code dr} the cluster failed over to (read, and written only with activate); {@code prod} the one to restore. */
    public Failback(
            KubeCluster dr,
            KubeCluster prod,
            BlobStore store,
            Clock clock,
            SecureRandom random,
            Supplier<UUID> uuids,
            String version) {
        this.dr = dr;
        this.prod = prod;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.uuids = uuids;
        this.version = version;
    }

    /**
     * What to fail back and how. {@code namespace} (null: every namespace) and {@code selector} (null: none) choose
     * DR VMs among those vmconfig manages; {@code map} is the forward VolumeMap to invert or, with
     * {@code mapIsReverse}, the reverse map itself; {@code sourceCluster} the name recorded in the set (null: the DR
     * context's name); {@code drStateNamespace}/{@code prodStateNamespace} where each site keeps its state ConfigMap.
     */
    public record Request(
            String namespace,
            String selector,
            VolumeMap map,
            boolean mapIsReverse,
            String mapOrigin,
            String sourceCluster,
            PrivateKey signingKey,
            Optional<RepositoryKey> repositoryKey,
            boolean dryRun,
            boolean activate,
            int parallel,
            String drStateNamespace,
            String prodStateNamespace) {
        public Request {
            Objects.requireNonNull(map, "map");
            Objects.requireNonNull(signingKey, "signingKey");
            Objects.requireNonNull(repositoryKey, "repositoryKey");
        }
    }

    /** Where a run ended. */
    public enum Outcome {
        /** {@code --dry-run}: everything was read and decided, nothing written. */
        PLANNED,
        /** Production holds DR's definitions, halted; activation was not asked for. */
        RESTORED,
        /** Restored, production activated and DR deactivated: the failback is complete. */
        ACTIVATED,
        /** A safety rule or a VM that cannot be restored stopped the run before anything was written. */
        REFUSED,
        /** Some writes failed after others succeeded: run the same command again to finish. */
        INCOMPLETE
    }

    /** One step of the run as the person at the terminal follows it. */
    @FunctionalInterface
    public interface Listener {
        void step(String name, String message);

        /** Per-item progress of a long step (backup, apply). */
        default Progress progress() {
            return Progress.NONE;
        }
    }

    /**
     * What a run did. {@code refusal} names why it stopped before writing (reason codes in {@code codes});
     * {@code exportFailures} the DR VMs that could not be read into a bundle; {@code backup} the (held or stored)
     * set; {@code plan} production's plan, {@code applied} what was written (null when nothing was applied);
     * {@code activated} production's VMs given their run strategy back, {@code deactivated} DR's copies handed back
     * to sync; {@code problems} activation problems and apply failures, each named.
     */
    public record Result(
            String drCluster,
            String prodCluster,
            Outcome outcome,
            String message,
            List<String> codes,
            boolean mapInverted,
            List<VmResult> exportFailures,
            BackupResult backup,
            boolean backupStored,
            DrSync.Report plan,
            DrSync.Applied applied,
            List<Activator.Result> activated,
            List<Activator.Result> deactivated,
            List<String> problems) {
        public Result {
            codes = List.copyOf(codes);
            exportFailures = List.copyOf(exportFailures);
            activated = List.copyOf(activated);
            deactivated = List.copyOf(deactivated);
            problems = List.copyOf(problems);
        }
    }

    public Result run(Request req, Listener listener) {
        Builder out = new Builder(req);
        // 1. the DR VMs, read only
        listener.step("read", "reading the VMs vmconfig manages on " + dr.name());
        SourceReader reader = new SourceReader(dr);
        List<SourcedObject> objects = reader.read(req.namespace(), managed(req.selector()));
        List<ObjectNode> drVms = objects.stream()
                .filter(o -> VirtualMachines.KIND.equals(o.kind()))
                .map(o -> (ObjectNode) o.object())
                .toList();
        if (drVms.isEmpty()) {
            throw VmConfigException.config("no VM that vmconfig manages on " + dr.name()
                    + (req.namespace() == null ? "" : " in namespace " + req.namespace())
                    + (req.selector() == null ? "" : " matching " + req.selector()) + ": nothing to fail back");
        }
        List<VmResult> exported = UnreadableSecrets.apply(ExportBatch.run(objects), reader.unreadableSecrets(), false);
        out.exportFailures = exported.stream().filter(v -> !v.ok()).toList();
        if (!out.exportFailures.isEmpty()) {
            return out.refused(
                    List.of(EXPORT_FAILED),
                    out.exportFailures.size() + " DR VM(s) could not be backed up; nothing was written");
        }
        List<VmRef> drRefs = exported.stream().map(VmResult::ref).toList();
        ActivationState drState = new ActivationState(dr, req.drStateNamespace(), clock);
        if (req.activate()) {
            DrState state = new DrReader(dr, drState).state(drVms);
            List<String> running = drRefs.stream()
                    .filter(r -> state.vm(r).map(DrVm::running).orElse(false))
                    .map(VmRef::toString)
                    .toList();
            if (!running.isEmpty()) {
                return out.refused(
                        List.of(ReasonCodes.RUNNING),
                        "still running on " + dr.name() + ": " + String.join(", ", running)
                                + "; stop them before --activate (one VM never runs on both sites), or fail back"
                                + " without --activate; nothing was written");
            }
        }

        // 2. the reverse map
        VolumeMap reverse = req.mapIsReverse() ? req.map() : req.map().invert(req.mapOrigin());
        out.mapInverted = !req.mapIsReverse();

        // 3. the backup, held back
        listener.step(
                "backup",
                "backing up " + drRefs.size() + " VM(s) of " + dr.name() + " as source cluster " + sourceCluster(req));
        io.vmconfig.core.repo.RootObject root = RepoReader.readRoot(store);
        PublicKey signer = root.signerFor(req.signingKey())
                .orElseThrow(() -> VmConfigException.config("the signing key is not one of this repository's signers"));
        StagedStore staged = new StagedStore(store, clock, java.time.Duration.ofSeconds(root.maxRunSeconds()));
        out.backup = new RepoWriter(staged, req.signingKey(), signer, req.repositoryKey(), clock, random, version)
                .backup(Snapshots.fromExport(exported), sourceCluster(req), "failback", listener.progress());
        if (!out.backup.refusedOlder().isEmpty()) {
            return out.refused(
                    List.of(ReasonCodes.OLDER_REVISION),
                    "the failback repository holds newer revisions of "
                            + out.backup.refusedOlder().stream()
                                    .map(VmRef::toString)
                                    .toList() + "; nothing was written");
        }

        // 4. the plan on production
        listener.step("plan", "planning set " + out.backup.setId().value() + " onto " + prod.name());
        DrSync sync = new DrSync(
                prod, new ActivationState(prod, req.prodStateNamespace(), clock), new DrRestore(reverse, uuids), false);
        sync.concurrency(req.parallel());
        RepoReader setReader = new RepoReader(staged, Trust.keys(List.of(signer)), req.repositoryKey());
        out.plan = sync.plan(setReader, out.backup.setId().value(), false);
        if (out.plan.integrityFailure()) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    "set " + out.backup.setId().value()
                            + " failed verification right after it was written; nothing was applied");
        }
        List<String> stops = stops(out.plan.plans());
        if (!stops.isEmpty()) {
            return out.refused(
                    stops,
                    "production is not ready for failback (see each VM's reasons): nothing was written to the"
                            + " repository or either cluster");
        }
        List<VmRef> prodRefs = toActivate(out.plan.plans());

        // 5. permissions for every write still to come, on both clusters, before the first one
        listener.step(
                "permissions", "checking permissions on " + prod.name() + (req.activate() ? " and " + dr.name() : ""));
        KubeAccess prodAccess = new KubeAccess(prod);
        RequiredPermissions onProd = required(prodAccess).toApply(out.plan.plans());
        if (req.activate() && !prodRefs.isEmpty()) {
            onProd.toActivate(req.prodStateNamespace(), prodRefs);
        }
        String prodUser = PermissionPreflight.require(prodAccess, "failback", prod.name(), onProd.list());
        Optional<String> drUser = Optional.empty();
        if (req.activate()) {
            KubeAccess drAccess = new KubeAccess(dr);
            List<VmRef> handBack = drDeactivation(req, drState, drRefs);
            RequiredPermissions onDr = required(drAccess).toActivate(req.drStateNamespace(), handBack);
            if (!handBack.isEmpty() && drState.activated()) {
                onDr.toRecordActivation(req.drStateNamespace()); // the subset is recorded as failed back
            }
            drUser = Optional.of(PermissionPreflight.require(drAccess, "failback", dr.name(), onDr.list()));
        }
        if (req.dryRun()) {
            return out.done(Outcome.PLANNED, "dry run: nothing was written");
        }
        prod.audit(prodUser, clock);
        drUser.ifPresent(u -> dr.audit(u, clock));

        // 6. write the set, then apply it on production
        listener.step("store", "storing set " + out.backup.setId().value());
        staged.commit();
        out.backupStored = true;
        listener.step("apply", "restoring onto " + prod.name() + ", halted");
        out.applied = sync.apply(out.plan, listener.progress());
        if (!out.applied.failures().isEmpty()) {
            out.problems.addAll(out.applied.failures());
            return out.done(
                    Outcome.INCOMPLETE,
                    out.applied.failures().size() + " VM(s) were not restored; run the same command again to finish");
        }
        if (!req.activate()) {
            return out.done(
                    Outcome.RESTORED,
                    "production holds DR's definitions, halted; stop DR's VMs, then run again with --activate (or"
                            + " 'vmconfig activate' on production and 'vmconfig deactivate' on DR)");
        }

        // 7. production on, DR handed back to sync
        listener.step("activate", "activating " + prodRefs.size() + " VM(s) on " + prod.name());
        Activator prodActivator =
                new Activator(prod, new ActivationState(prod, req.prodStateNamespace(), clock), clock);
        out.activated = prodRefs.isEmpty() ? List.of() : prodActivator.activate(prodRefs);
        out.activated.stream()
                .filter(a -> a.problem() != null)
                .forEach(a -> out.problems.add(a.vm() + ": " + a.problem()));
        if (out.activated.stream().anyMatch(a -> a.runStrategy() == null)) {
            return out.done(
                    Outcome.INCOMPLETE, "some production VMs were not activated; run the same command again to finish");
        }
        listener.step("deactivate", "handing " + dr.name() + "'s copies back to sync");
        List<VmRef> handedBack = drDeactivation(req, drState, drRefs);
        out.deactivated = new Activator(dr, drState, clock).deactivate(handedBack);
        out.deactivated.stream()
                .filter(a -> a.problem() != null)
                .forEach(a -> out.problems.add(a.vm() + ": " + a.problem()));
        if (!handedBack.isEmpty() && out.problems.isEmpty()) {
            // a subset of an activated site: the site stays activated for every other VM, and says which came back
            drState.failedBack(handedBack);
        }
        if (!out.problems.isEmpty()) {
            return out.done(Outcome.INCOMPLETE, "DR was not fully deactivated; run the same command again to finish");
        }
        return out.done(
                Outcome.ACTIVATED,
                "production activated, " + dr.name() + " deactivated: sync keeps " + dr.name() + " in step again");
    }

    /** Only DR VMs vmconfig wrote are failed back: a VM DR made on its own has no production original. */
    private static String managed(String selector) {
        String mine = Annotations.MANAGED_LABEL + "=true";
        return selector == null || selector.isBlank() ? mine : mine + "," + selector;
    }

    private String sourceCluster(Request req) {
        return req.sourceCluster() != null ? req.sourceCluster() : dr.name();
    }

    /**
     * What stops a failback before it writes: a VM that cannot be restored or is in the way (blocked), one running
     * on production, production recorded as an activated site, a newer revision there. A production VM already
     * activated (a failback run before, or activated by hand) is left alone and is not a stop.
     */
    static List<String> stops(List<VmPlan> plans) {
        Set<String> codes = new LinkedHashSet<>();
        for (VmPlan p : plans) {
            if (p.action() == SyncAction.BLOCKED
                    || (p.action() == SyncAction.SKIPPED && !p.codes().contains(ReasonCodes.VM_ACTIVATED))) {
                codes.addAll(p.codes().isEmpty() ? List.of(ReasonCodes.RESTORE_FAILED) : p.codes());
            }
        }
        return List.copyOf(codes);
    }

    /** Production VMs that activation turns on: every planned target not activated already. */
    private static List<VmRef> toActivate(List<VmPlan> plans) {
        return plans.stream()
                .filter(p -> p.target() != null && !p.codes().contains(ReasonCodes.VM_ACTIVATED))
                .filter(p -> p.action().writes() || p.action() == SyncAction.UNCHANGED)
                .map(VmPlan::target)
                .toList();
    }

    /**
     * The DR VMs whose mark goes: every one that was failed back; the whole site (its flag too) when it was
     * activated as a site and every VM is failed back (no namespace or selector). A subset of an activated site is
     * recorded in the site's state as failed back ({@link ActivationState#failedBack}): sync keeps exactly those in
     * step again, and the site flag keeps every other VM left alone.
     */
    private static List<VmRef> drDeactivation(Request req, ActivationState drState, List<VmRef> drRefs) {
        boolean everything = req.namespace() == null
                && (req.selector() == null || req.selector().isBlank());
        return everything && drState.activated() ? List.of() : drRefs;
    }

    private static RequiredPermissions required(KubeAccess access) {
        return new RequiredPermissions(KubeAccess::resource, access::namespaceExists);
    }

    /** The result as it grows. */
    private final class Builder {
        final List<String> problems = new ArrayList<>();
        List<VmResult> exportFailures = List.of();
        boolean mapInverted;
        BackupResult backup;
        boolean backupStored;
        DrSync.Report plan;
        DrSync.Applied applied;
        List<Activator.Result> activated = List.of();
        List<Activator.Result> deactivated = List.of();

        Builder(Request req) {
            this.mapInverted = !req.mapIsReverse();
        }

        Result refused(List<String> codes, String message) {
            return result(Outcome.REFUSED, message, codes);
        }

        Result done(Outcome outcome, String message) {
            return result(outcome, message, List.of());
        }

        private Result result(Outcome outcome, String message, List<String> codes) {
            return new Result(
                    dr.name(),
                    prod.name(),
                    outcome,
                    message,
                    codes,
                    mapInverted,
                    exportFailures,
                    backup,
                    backupStored,
                    plan,
                    applied,
                    activated,
                    deactivated,
                    problems);
        }
    }
}
