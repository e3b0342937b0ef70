package io.vmconfig.service.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.ActivationState;
import io.vmconfig.adapters.kube.ConfigSyncs;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.VolumeMaps;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.Progress;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.RestoreMode;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.sync.ConfigSyncStatus;
import io.vmconfig.core.vm.VmRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs ConfigSync objects (deploy/crds): for each, its VolumeMap by reference, its repository with credentials and
 * keys from the Secrets it names, one pass ({@link SyncPass}: plan, apply, Events, metrics) restricted to its source
 * namespaces, then its status through the status subresource ({@link ConfigSyncStatus}). A suspended ConfigSync runs
 * nothing; one whose {@code spec.interval} has not elapsed since its last pass waits (unless forced, {@code --once}).
 * One ConfigSync's failure is its status, never the others'.
 */
public final class ConfigSyncRunner {
    /** Opens a repository: URL, S3 credentials file text, public key(s), repository key (the composition root's). */
    public interface RepoAccess {
        RepoReader open(
                String url, Optional<String> credentials, Optional<String> verifyKeys, Optional<String> repositoryKey);
    }

    /** A pass over one DrSync and repository (SyncPass with the controller's events, metrics and clock). */
    public interface Passes {
        SyncPass pass(DrSync sync, Supplier<RepoReader> repo, boolean pruneDeleted);
    }

    /** What happened to one ConfigSync: the pass (if one ran), the status written, and why no pass ran. */
    public record Outcome(
            VmRef ref, Optional<SyncPass.Result> result, ObjectNode status, Optional<VmConfigException.Kind> error) {
        /** For the controller: the pass ran and applied every VM it should have (suspended counts as done). */
        public boolean complete() {
            return error.isEmpty() && result.map(SyncPass.Result::complete).orElse(true);
        }
    }

    private final KubeCluster dr;
    private final ConfigSyncs syncs;
    private final ActivationState activation;
    private final Supplier<UUID> uuids;
    private final Clock clock;
    private final RepoAccess access;
    private final Passes passes;
    private final Function<String, Duration> durations;
    /**
     * The VolumeMap each ConfigSync's last pass by this controller used (a changed map makes it due); before its first
     * pass, what the ConfigSync's status recorded ({@link ConfigSyncStatus.MapUsed}).
     */
    private final java.util.Map<VmRef, ConfigSyncStatus.MapUsed> mapsUsed =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ConfigSyncRunner(
            KubeCluster dr,
            ActivationState activation,
            Supplier<UUID> uuids,
            Clock clock,
            RepoAccess access,
            Passes passes,
            Function<String, Duration> durations) {
        this.dr = dr;
        this.syncs = new ConfigSyncs(dr);
        this.activation = activation;
        this.uuids = uuids;
        this.clock = clock;
        this.access = access;
        this.passes = passes;
        this.durations = durations;
    }

    /** The ConfigSyncs named, or every one in {@code namespace} when {@code refs} is empty. */
    public List<ObjectNode> objects(List<VmRef> refs, String namespace) {
        return refs.isEmpty()
                ? syncs.list(namespace)
                : refs.stream().map(syncs::get).toList();
    }

    /** One round: each ConfigSync that is due (all of them with {@code force}) runs a pass and gets its status. */
    public List<Outcome> run(List<VmRef> refs, String namespace, long number, boolean force) {
        List<Outcome> out = new ArrayList<>();
        for (ObjectNode cs : objects(refs, namespace)) {
            VmRef ref = new VmRef(
                    cs.path("metadata").path("namespace").asText(),
                    cs.path("metadata").path("name").asText());
            JsonNode spec = cs.path("spec");
            JsonNode previous = cs.path("status");
            long generation = cs.path("metadata").path("generation").asLong(0);
            Instant now = clock.instant();
            if (spec.path("suspend").asBoolean(false)) {
                ObjectNode s = ConfigSyncStatus.suspended(previous, generation, now);
                syncs.writeStatus(cs, s);
                out.add(new Outcome(ref, Optional.empty(), s, Optional.empty()));
                continue;
            }
            Optional<ConfigSyncStatus.MapUsed> map = mapUsed(ref, spec);
            // the map the last pass used: this controller's own, else the one the status recorded, so that a map
            // changed while no controller ran is a change too (a status without one: the map as found is not)
            Optional<ConfigSyncStatus.MapUsed> last =
                    Optional.ofNullable(mapsUsed.get(ref)).or(() -> ConfigSyncStatus.MapUsed.recorded(previous));
            boolean sameMap = last.isEmpty() || map.equals(last);
            map.ifPresent(m -> mapsUsed.put(ref, m));
            if (!force && !due(spec, previous, generation, sameMap, now)) {
                continue;
            }
            Optional<SyncPass.Result> result = Optional.empty();
            Optional<VmConfigException.Kind> error = Optional.empty();
            ObjectNode status;
            try {
                SyncPass.Result r = pass(ref, spec, number);
                result = Optional.of(r);
                status = ConfigSyncStatus.after(
                        previous,
                        generation,
                        clock.instant(),
                        new ConfigSyncStatus.Pass(
                                r.report().setId(),
                                r.report().setCreated(),
                                r.report().plans(),
                                r.applied().failed().size(),
                                r.report().integrityFailure()));
            } catch (VmConfigException e) {
                error = Optional.of(e.kind());
                status = ConfigSyncStatus.failed(
                        previous, generation, clock.instant(), e.kind().name(), e.getMessage());
            }
            if (map.isPresent()) {
                map.get().recordIn(status);
            }
            syncs.writeStatus(cs, status);
            out.add(new Outcome(ref, result, status, error));
        }
        return out;
    }

    /**
     * Due: never passed, its spec changed since its last pass (a generation its status has not observed), its
     * VolumeMap changed since the last pass used it ({@code sameMap} false: by this controller, or as recorded in the
     * status by any before it), or its interval elapsed.
     */
    private boolean due(JsonNode spec, JsonNode previous, long generation, boolean sameMap, Instant now) {
        if (previous.path("observedGeneration").asLong(-1) < generation || !sameMap) {
            return true;
        }
        Optional<Instant> last =
                Optional.ofNullable(previous.path("lastPassTime").textValue()).map(Instant::parse);
        Duration every = durations.apply(spec.path("interval").asText("5m"));
        return last.isEmpty() || !last.get().plus(every).isAfter(now);
    }

    /** The ConfigSync's VolumeMap as it is now (empty when it names none or it is not there: the pass says). */
    private Optional<ConfigSyncStatus.MapUsed> mapUsed(VmRef ref, JsonNode spec) {
        String name = spec.path("volumeMapRef").path("name").asText("");
        return name.isEmpty()
                ? Optional.empty()
                : dr.get(io.vmconfig.adapters.kube.KubeKind.VOLUME_MAP, ref.namespace(), name)
                        .map(ConfigSyncStatus.MapUsed::of);
    }

    private SyncPass.Result pass(VmRef ref, JsonNode spec, long number) {
        String ns = ref.namespace();
        VolumeMap map = VolumeMaps.read(
                dr, new VmRef(ns, spec.path("volumeMapRef").path("name").asText()));
        if (spec.hasNonNull("mode")) {
            map = map.withMode(RestoreMode.parse(spec.path("mode").asText(), "ConfigSync " + ref + " spec.mode"));
        }
        Set<String> namespaces = new HashSet<>();
        spec.path("namespaces").forEach(n -> namespaces.add(n.asText()));
        DrSync sync = new DrSync(dr, activation, new DrRestore(map, uuids), false, namespaces);
        Optional<String> credentials =
                syncs.secretText(ns, spec.path("repository").path("credentialsSecretRef"), "cloud");
        Optional<String> verify = syncs.secretText(ns, spec.path("verifyKeySecretRef"), "signing.pub");
        Optional<String> key = syncs.secretText(ns, spec.path("repositoryKeySecretRef"), "repository.key");
        String url = spec.path("repository").path("url").asText();
        return passes.pass(
                        sync,
                        () -> access.open(url, credentials, verify, key),
                        spec.path("pruneDeleted").asBoolean(false))
                .run(number, Progress.NONE);
    }
}
