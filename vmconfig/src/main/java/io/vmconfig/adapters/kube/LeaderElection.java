package io.vmconfig.adapters.kube;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Leader election on a coordination.k8s.io Lease (fabric8's elector): one sync controller of several replicas
 * writes at a time. Cancelling the returned future releases the Lease, so a successor takes over at once.
 */
public final class LeaderElection {
    /** Lease duration, renew deadline and retry period; kubectl-scale defaults in {@link #DEFAULT}. */
    public record Timing(Duration lease, Duration renew, Duration retry) {
        public static final Timing DEFAULT =
                new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    private LeaderElection() {}

    public static CompletableFuture<?> start(
            KubeCluster cluster,
            String namespace,
            String lease,
            String identity,
            Timing timing,
            Runnable onStartLeading,
            Runnable onStopLeading,
            Consumer<String> onNewLeader) {
        return cluster.client()
                .leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(lease)
                        .withLock(new LeaseLock(namespace, lease, identity))
                        .withLeaseDuration(timing.lease())
                        .withRenewDeadline(timing.renew())
                        .withRetryPeriod(timing.retry())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(onStartLeading, onStopLeading, onNewLeader))
                        .build())
                .build()
                .start();
    }
}
