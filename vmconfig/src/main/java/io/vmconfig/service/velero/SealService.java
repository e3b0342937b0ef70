package io.vmconfig.service.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.http.MetricsServer;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.adapters.kube.KubePluginConfig;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoWriter;
import io.vmconfig.core.repo.RepositoryKey;
import io.vmconfig.core.repo.Staging;
import io.vmconfig.core.repo.Trust;
import io.vmconfig.core.sync.ControllerHealth;
import io.vmconfig.core.velero.BackupScope;
import io.vmconfig.core.velero.SealOutcome;
import io.vmconfig.core.velero.Sealer;
import io.vmconfig.core.vm.VmRef;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code seal} use case, wired: the {@link Sealer} (core) over the repository and the production cluster's
 * Velero Backups (read through {@link KubePluginConfig} and {@link KubeCluster}), once or every interval with the
 * controller's health rule on {@code /healthz}. The command parses options and prints the outcomes.
 */
public final class SealService {
    private final Sealer sealer;
    private final Clock clock;

    public SealService(
            KubeCluster cluster,
            String veleroNamespace,
            BlobStore store,
            PrivateKey signingKey,
            PublicKey signer,
            Optional<RepositoryKey> repositoryKey,
            Clock clock,
            SecureRandom random,
            String version) {
        KubePluginConfig velero = new KubePluginConfig(() -> cluster, veleroNamespace);
        this.clock = clock;
        this.sealer = new Sealer(
                new RepoReader(store, Trust.keys(List.of(signer)), repositoryKey),
                new Staging(store, repositoryKey, clock, random),
                new RepoWriter(store, signingKey, signer, repositoryKey, clock, random, version),
                run -> velero.backup(veleroNamespace, run),
                b -> covered(cluster, b),
                clock);
    }

    /** One pass: every staged run decided. */
    public List<SealOutcome> sealOnce(String sourceCluster) {
        return sealer.sealOnce(sourceCluster);
    }

    /**
     * {@code --watch}: a pass every {@code every} until {@code stop} counts down, each pass's outcomes given to
     * {@code report}; every failure of a pass, not only the classified ones, goes to {@code failed} and is retried
     * next time. With {@code healthPort} &ge; 0, /healthz and /readyz follow {@link ControllerHealth}.
     */
    public void watch(
            String sourceCluster,
            Duration every,
            int healthPort,
            CountDownLatch stop,
            Consumer<List<SealOutcome>> report,
            Consumer<RuntimeException> failed) {
        Instant startedAt = clock.instant();
        AtomicReference<Instant> finished = new AtomicReference<>();
        Supplier<ControllerHealth.Status> status =
                () -> new ControllerHealth.Status(true, true, true, stop.getCount() > 0, startedAt, finished.get());
        try (MetricsServer health = healthPort < 0
                ? null
                : new MetricsServer(
                        healthPort,
                        null,
                        () -> ControllerHealth.liveness(status.get(), clock.instant(), every),
                        () -> ControllerHealth.readiness(status.get()))) {
            do {
                try {
                    report.accept(sealer.sealOnce(sourceCluster));
                } catch (RuntimeException e) {
                    failed.accept(e);
                }
                finished.set(clock.instant());
            } while (!awaitStop(stop, every));
        }
    }

    /** The VMs the Backup selects now, to name those vm-backup did not write. */
    private static List<VmRef> covered(KubeCluster cluster, JsonNode backup) {
        return cluster.list(KubeKind.VM, null, BackupScope.labelSelector(backup)).stream()
                .map(vm -> new VmRef(
                        vm.path("metadata").path("namespace").asText(),
                        vm.path("metadata").path("name").asText()))
                .filter(vm -> BackupScope.includes(backup, vm.namespace()))
                .toList();
    }

    private static boolean awaitStop(CountDownLatch stop, Duration every) {
        try {
            return stop.await(every.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
