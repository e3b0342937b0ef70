package io.vmconfig.service.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.ConfigRestores;
import io.vmconfig.adapters.kube.KubeAccess;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.VolumeMaps;
import io.vmconfig.adapters.log.LogOutput;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.access.Audit;
import io.vmconfig.core.access.RequiredPermissions;
import io.vmconfig.core.access.TenantPolicy;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.sync.ConfigRestoreStatus;
import io.vmconfig.core.sync.ReasonCodes;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.core.sync.VmPlan;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.core.vm.VmSelection;
import io.vmconfig.service.access.PermissionPreflight;
import io.vmconfig.service.imports.KubeImporter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Acts on tenants' ConfigRestore requests (deploy/crds) with the controller's own service account: for each request
 * not yet done for its generation, the tenant policy ({@link TenantPolicy}: repository and source namespace allowed
 * for the request's namespace by a RepositoryGrant) before anything is opened or read; then the VolumeMap (the
 * request's namespace), the repository with the Secrets the grant or the request names, the plan of the selected VMs
 * ({@link DrSync}, whose planner applies every DR-safety rule, {@code DrSafety}); then the policy again for each VM
 * (it and everything written for it in the request's namespace; import never overwrites). Any VM refused refuses the
 * whole request and nothing is written; else the permission pre-flight and the writes, each stamped with the request
 * object as who asked ({@code vmconfig.io/applied-by: ConfigRestore NS/NAME}). The outcome is the request's status,
 * written through the status subresource only ({@link ConfigRestoreStatus}). One request's failure is its own status.
 */
public final class ConfigRestoreRunner {
    static final Logger LOG = Logger.getLogger("io.vmconfig.sync.restore");

    /** What happened to one request: its status as written. */
    public record Outcome(VmRef ref, ObjectNode status) {
        public boolean succeeded() {
            return ConfigRestoreStatus.COMPLETED.equals(status.path("phase").asText());
        }
    }

    private final KubeCluster cluster;
    private final ConfigRestores restores;
    private final ActivationState activation;
    private final Supplier<UUID> uuids;
    private final Clock clock;
    private final ConfigSyncRunner.RepoAccess access;

    public ConfigRestoreRunner(
            KubeCluster cluster,
            ActivationState activation,
            Supplier<UUID> uuids,
            Clock clock,
            ConfigSyncRunner.RepoAccess access) {
        this.cluster = cluster;
        this.restores = new ConfigRestores(cluster);
        this.activation = activation;
        this.uuids = uuids;
        this.clock = clock;
        this.access = access;
    }

    /** One round: every ConfigRestore in the cluster that is due gets its run and its status. */
    public List<Outcome> run() {
        List<ObjectNode> due =
                restores.list().stream().filter(ConfigRestoreStatus::due).toList();
        if (due.isEmpty()) {
            return List.of(); // nothing more is read: an idle controller asks one list per pass
        }
        List<ObjectNode> grantObjects = restores.grants();
        List<TenantPolicy.Grant> grants =
                grantObjects.stream().map(ConfigRestores::grant).toList();
        List<Outcome> out = new ArrayList<>();
        for (ObjectNode request : due) {
            VmRef ref = ConfigRestores.ref(request);
            long generation = request.path("metadata").path("generation").asLong(0);
            ObjectNode status;
            try {
                status = runOne(request, grants, grantObjects, generation);
            } catch (VmConfigException e) {
                status = ConfigRestoreStatus.failed(
                        generation, clock.instant(), e.kind().name(), e.getMessage());
            }
            restores.writeStatus(request, status);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("configRestore", ref.toString());
            f.put("phase", status.path("phase").asText());
            f.put("reason", status.path("reason").asText());
            LogOutput.log(
                    LOG,
                    ConfigRestoreStatus.COMPLETED.equals(status.path("phase").asText()) ? Level.INFO : Level.WARNING,
                    "ConfigRestore " + ref + ": " + status.path("message").asText(),
                    f,
                    null);
            out.add(new Outcome(ref, status));
        }
        return out;
    }

    private ObjectNode runOne(
            ObjectNode request, List<TenantPolicy.Grant> grants, List<ObjectNode> grantObjects, long generation) {
        TenantPolicy.Request req = ConfigRestores.request(request);
        TenantPolicy.Verdict allowed = TenantPolicy.decide(req, grants, Optional.empty());
        if (allowed.refused()) {
            // refused before the repository is opened or any Secret read
            return ConfigRestoreStatus.refused(
                    generation, clock.instant(), null, allowed.code(), allowed.reason(), List.of());
        }
        ObjectNode grant =
                ConfigRestores.named(grantObjects, allowed.grant().orElseThrow().name());
        JsonNode spec = request.path("spec");
        DrRestore restore = new DrRestore(
                VolumeMaps.read(
                        cluster,
                        new VmRef(
                                req.namespace(),
                                spec.path("volumeMapRef").path("name").asText())),
                uuids);
        KubeCluster asRequest =
                cluster.auditedAs(Audit.requestedBy("ConfigRestore", req.namespace(), req.name()), clock);
        DrSync sync = new DrSync(asRequest, activation, restore, false, Set.of(req.sourceNamespace()));
        sync.select(VmSelection.of(spec.path("vms"), req + " spec.vms"));
        Optional<String> credentials = restores.secretText(grant, request, "/repository/credentialsSecretRef", "cloud");
        Optional<String> verify = restores.secretText(grant, request, "/verifyKeySecretRef", "signing.pub");
        Optional<String> key = restores.secretText(grant, request, "/repositoryKeySecretRef", "repository.key");
        RepoReader repo = access.open(req.repository(), credentials, verify, key);
        DrSync.Report report = sync.plan(repo, spec.path("set").asText("latest"), false);
        if (report.integrityFailure()) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY, "set " + report.setId() + " failed verification: not restored");
        }

        List<VmPlan> plans = new ArrayList<>();
        List<ConfigRestoreStatus.VmLine> refused = new ArrayList<>();
        TenantPolicy.Verdict firstRefusal = null;
        for (VmPlan p : report.plans()) {
            if (p.source() == null) {
                plans.add(p); // a set problem without a VM: reported blocked, nothing to write
                continue;
            }
            TenantPolicy.Verdict v = TenantPolicy.decide(req, grants, Optional.of(facts(p, restore)));
            switch (v.outcome()) {
                case REFUSE -> {
                    firstRefusal = firstRefusal == null ? v : firstRefusal;
                    refused.add(new ConfigRestoreStatus.VmLine(
                            p.source().toString(),
                            facts(p, restore).target().toString(),
                            "refused",
                            List.of(v.code()),
                            List.of(v.reason())));
                }
                case SKIP ->
                    plans.add(new VmPlan(
                            p.source(),
                            p.target(),
                            SyncAction.SKIPPED,
                            List.of(v.reason()),
                            List.of(),
                            List.of(),
                            p.entry(),
                            List.of(v.code())));
                case ALLOW -> plans.add(p);
            }
        }
        if (firstRefusal != null) {
            return ConfigRestoreStatus.refused(
                    generation,
                    clock.instant(),
                    report.setId(),
                    firstRefusal.code(),
                    refused.size() + " VM(s) refused, nothing restored: " + firstRefusal.reason(),
                    refused);
        }
        List<Optional<String>> failures = req.mode() == TenantPolicy.Mode.IMPORT
                ? importAll(req, asRequest, plans)
                : apply(req, sync, report, plans);
        List<ConfigRestoreStatus.VmLine> lines = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            VmPlan p = plans.get(i);
            Optional<String> failure = failures.get(i);
            lines.add(new ConfigRestoreStatus.VmLine(
                    p.source() == null ? p.name() : p.source().toString(),
                    target(p),
                    failure.isPresent() ? "failed" : p.action().state(),
                    p.codes(),
                    failure.map(List::of).orElse(p.reasons())));
        }
        return ConfigRestoreStatus.applied(generation, clock.instant(), report.setId(), lines);
    }

    /**
     * restore mode: the sync applier (create or update, DR-safety guard at write time), after the pre-flight; the
     * failure of each plan, if any.
     */
    private List<Optional<String>> apply(
            TenantPolicy.Request req, DrSync sync, DrSync.Report report, List<VmPlan> plans) {
        KubeAccess access = new KubeAccess(cluster);
        PermissionPreflight.require(
                access,
                req.toString(),
                cluster.name(),
                new RequiredPermissions(KubeAccess::resource, access::namespaceExists)
                        .toApply(plans)
                        .list());
        DrSync.Applied applied = sync.apply(new DrSync.Report(
                report.setId(),
                report.setCreated(),
                report.sourceCluster(),
                plans,
                report.bundleBytesRead(),
                report.integrityFailure()));
        return plans.stream().map(applied::failureOf).toList();
    }

    /**
     * import mode: only VMs that do not exist are created (the policy skipped the others), dependencies that exist
     * are left as they are, nothing is updated; the failure of each plan, if any.
     */
    private List<Optional<String>> importAll(TenantPolicy.Request req, KubeCluster asRequest, List<VmPlan> plans) {
        List<VmPlan> creating =
                plans.stream().filter(p -> p.action() == SyncAction.CREATE).toList();
        KubeAccess access = new KubeAccess(cluster);
        PermissionPreflight.require(
                access,
                req.toString(),
                cluster.name(),
                new RequiredPermissions(KubeAccess::resource, access::namespaceExists)
                        .toCreate(creating.stream()
                                .flatMap(p -> p.documents().stream())
                                .toList())
                        .list());
        KubeImporter importer = new KubeImporter(asRequest);
        List<Optional<String>> failures = new ArrayList<>();
        for (VmPlan p : plans) {
            Optional<String> failure = Optional.empty();
            if (p.action() == SyncAction.CREATE) {
                try {
                    importer.create(p.documents());
                } catch (VmConfigException e) {
                    failure = Optional.of(p.name() + ": " + e.getMessage());
                }
            }
            failures.add(failure);
        }
        return failures;
    }

    /**
     * What the tenant policy looks at for one plan; a VM the restore could not place (blocked: no target) is where
     * the map would put it, so that a request aimed elsewhere is refused as such whatever else is wrong with it.
     */
    private static TenantPolicy.Vm facts(VmPlan p, DrRestore restore) {
        List<String> namespaces = p.documents().stream()
                .map(d -> d.path("metadata").path("namespace").asText(""))
                .toList();
        boolean exists = p.action() == SyncAction.UPDATE
                || p.action() == SyncAction.UNCHANGED
                || p.codes().contains(ReasonCodes.UNMANAGED_VM);
        VmRef target = p.target() != null
                ? p.target()
                : new VmRef(
                        restore.map().namespace(p.source().namespace()),
                        p.source().name());
        return new TenantPolicy.Vm(p.source(), target, namespaces, exists);
    }

    private static String target(VmPlan p) {
        return p.target() == null ? "-" : p.target().toString();
    }
}
