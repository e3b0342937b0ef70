package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.adapters.kube.KubeCluster;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A sync controller running in this JVM ({@code vmconfig sync ARGS}, no {@code --once}) until closed, with its
 * metrics, its JSON log and its /healthz at hand: the end-to-end tests of the watch (a change served without waiting
 * for {@code --interval}) start one each.
 */
record ControllerLoop(
        SyncCommand sync, CompletableFuture<Integer> exit, java.io.StringWriter err, SyncCommand.Running started)
        implements AutoCloseable {
    /** Starts {@code vmconfig sync} with {@code args} (the words after "sync") and waits until it serves. */
    static ControllerLoop start(String... args) throws Exception {
        CompletableFuture<SyncCommand.Running> started = new CompletableFuture<>();
        SyncCommand sync = new SyncCommand(
                new RepoEnvironment(
                        new io.vmconfig.app.RepoUrls(
                                System.getenv(), io.vmconfig.core.repo.RetryingBlobStore.REAL_SLEEP),
                        java.time.Clock.systemUTC(),
                        new java.security.SecureRandom()),
                KubeCluster::connect,
                java.util.UUID::randomUUID,
                started::complete);
        java.io.StringWriter err = new java.io.StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "sync";
        System.arraycopy(args, 0, all, 1, args.length);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CliRunner(List.of(sync))
                .run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true), all));
        return new ControllerLoop(sync, exit, err, started.get(60, TimeUnit.SECONDS));
    }

    String metrics() {
        return started.metrics().render();
    }

    String health() throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + started.port() + "/healthz"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Polls (bounded, 60 s) until {@code done} holds; the condition's last value is what the caller asserts on. */
    static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 600 && !done.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        sync.stop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    }
}
