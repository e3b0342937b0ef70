package io.vmconfig.service.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubePluginConfig;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreOpener;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.StagedVm;
import io.vmconfig.core.repo.Staging;
import io.vmconfig.core.repo.VmSnapshot;
import io.vmconfig.core.velero.Items;
import io.vmconfig.core.velero.RepositoryLocation;
import io.vmconfig.core.velero.StagingPort;
import io.vmconfig.core.vm.Annotations;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * vm-backup's writer: finds the repository (plugin ConfigMap, else the Backup's BackupStorageLocation), builds the
 * VM's bundle from the live cluster and stages it under the Backup's name (repository-format.md §11). A failure
 * fails the item with a message naming the VM and the repository, and is recorded in staging when the store
 * still answers, so the sealer names the VM as left out.
 */
public final class PluginStaging implements StagingPort {
    public static final String KEY_FILE = "repository.key";
    private final KubePluginConfig kube;
    private final BlobStoreOpener opener;
    private final Clock clock;
    private final RandomGenerator random;
    /**
     * One opened repository per location for the life of the process (Velero starts a fresh process per backup):
     * opening a store builds an S3 client with its own connection pool, which per Execute cost time and memory.
     */
    private final Map<RepositoryLocation, Staging> opened = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Where each Backup run stages, decided at its first VM and kept by the Backup's uid: one Backup writes to one
     * repository even when the plugin ConfigMap is edited half-way (the edit applies from the next Backup, whose uid
     * is new), and the ConfigMap is listed once per run instead of once per VM. A Backup without a uid (Velero
     * always sets one) is not cached. Bounded: a process that outlives many runs keeps the latest
     * {@link #RUNS_KEPT}; a failed look-up is not kept, so the next VM asks again.
     */
    private final Map<String, RepositoryLocation> locations = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RepositoryLocation> eldest) {
            return size() > RUNS_KEPT;
        }
    };
    /** Backup runs whose location is remembered; Velero runs backups one at a time, so a few is plenty. */
    static final int RUNS_KEPT = 8;

    public PluginStaging(KubePluginConfig kube, BlobStoreOpener opener, Clock clock, RandomGenerator random) {
        this.kube = kube;
        this.opener = opener;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public Map<String, String> stage(JsonNode backup, VmSnapshot snapshot) {
        String run = Items.metadata(backup, "name");
        String what = "VM " + snapshot.key();
        RepositoryLocation loc = runLocation(backup);
        Staging staging;
        try {
            staging = opened.computeIfAbsent(loc, this::open);
        } catch (VmConfigException e) {
            throw new VmConfigException(
                    e.kind(),
                    "cannot open the vmconfig repository of " + loc.origin() + " (" + redacted(loc.url()) + ") for "
                            + what + ": " + e.getMessage(),
                    e);
        }
        try {
            StagedVm staged = staging.stage(run, snapshot);
            return Map.of(
                    Annotations.BUNDLE,
                    staged.bundle().hex(),
                    Annotations.CAPTURED_AT,
                    staged.stagedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        } catch (VmConfigException e) {
            try {
                staging.fail(run, snapshot.key(), e.getMessage());
            } catch (VmConfigException ignored) {
                // the store is down: the item error in Velero names the VM
            }
            throw new VmConfigException(
                    e.kind(),
                    "cannot write " + what + " to the vmconfig repository " + redacted(loc.url()) + " (" + loc.origin()
                            + "): " + e.getMessage(),
                    e);
        }
    }

    private Staging open(RepositoryLocation loc) {
        BlobStore store = opener.open(loc.url());
        Optional<RepositoryKey> key =
                loc.keySecret().flatMap(s -> kube.secretValue(s, KEY_FILE)).map(RepositoryKey::decode);
        return new Staging(store, key, clock, random);
    }

    /** The run's location: remembered by the Backup's uid after its first VM, read afresh for a new run. */
    private RepositoryLocation runLocation(JsonNode backup) {
        String uid = backup.path("metadata").path("uid").asText("");
        if (uid.isEmpty()) {
            return location(backup);
        }
        synchronized (locations) {
            RepositoryLocation known = locations.get(uid);
            if (known != null) {
                return known;
            }
        }
        // read outside the lock: a slow API server holds up only this run's first VM
        RepositoryLocation read = location(backup);
        synchronized (locations) {
            RepositoryLocation first = locations.putIfAbsent(uid, read);
            return first != null ? first : read;
        }
    }

    private RepositoryLocation location(JsonNode backup) {
        var config = kube.backupConfig();
        if (config.isPresent()) {
            return RepositoryLocation.fromConfigMap(
                    config.get().getValue(), config.get().getKey());
        }
        String bsl = backup.path("spec").path("storageLocation").asText("default");
        ObjectNode found = kube.storageLocation(bsl)
                .orElseThrow(() -> VmConfigException.config(
                        "no vm-backup plugin ConfigMap (labels velero.io/plugin-config, vmconfig.io/vm-backup="
                                + "BackupItemActionV2) and no BackupStorageLocation '" + bsl + "' for Backup "
                                + Items.metadata(backup, "name")));
        return RepositoryLocation.fromStorageLocation(found);
    }

    /** The URL without its query: enough to say which bucket, nothing about files or profiles. */
    private static String redacted(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
