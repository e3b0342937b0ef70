package io.vmconfig.adapters.goplugin;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server hosted as a go-plugin: listens on 127.0.0.1 at the first free port of the host's range, registers
 * health ("plugin" SERVING) and GRPCController, and only then prints the handshake line. Stdio and broker streams are
 * left unregistered, so they answer Unimplemented, which go-plugin's host tolerates.
 *
 * <p>The transport is grpc-okhttp's server: plaintext HTTP/2 on a blocking socket, one reader thread for Velero's one
 * connection, responses written by the thread that completes the call. Against grpc-netty's (two event loops, a
 * selector and its wake-ups), the plugin's warm handshake went from 189 to 140 ms and its RSS after the handshake from
 * 54 to 48 MiB (with the first calls also in the AOT cache; docs/benchmarks.md, issue 13, twelfth session).
 */
public final class GoPluginServer {
    /**
     * The largest request read. Velero may send up to 2 GiB and grpc-go's servers (Velero's own plugins) take 4 MiB;
     * RestoreItemAction.Execute carries item + itemFromBackup + restore, each a Kubernetes object (etcd's default limit
     * is 1.5 MiB). A restore message of this size is held by the plugin's 128 MiB heap (PluginItemActionsIT); a larger
     * one ends its connection before it is read ({@link MessageLimitSockets}).
     */
    public static final int MAX_INBOUND_MESSAGE = 32 * 1024 * 1024;

    private static final String HEALTH_SERVICE = "plugin";

    private final JsonLogger log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Server server;

    public GoPluginServer(JsonLogger log) {
        this.log = log;
    }

    /** Binds, then writes the handshake line to {@code handshakeOut}; returns the port. */
    public int start(HandshakeEnv env, List<BindableService> services, PrintStream handshakeOut) {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(HEALTH_SERVICE, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        MessageLimitSockets sockets = new MessageLimitSockets(log, MAX_INBOUND_MESSAGE);
        IOException last = null;
        for (int port = env.minPort(); port <= env.maxPort(); port++) {
            OkHttpServerBuilder b = OkHttpServerBuilder.forPort(
                            new InetSocketAddress(loopback, port), InsecureServerCredentials.create())
                    .maxInboundMessageSize(MAX_INBOUND_MESSAGE)
                    .socketFactory(sockets)
                    .addService(health.getHealthService())
                    .addService(new ControllerService(this::stop));
            services.forEach(b::addService);
            try {
                server = b.build().start();
                String line = env.line(port);
                handshakeOut.print(line + "\n");
                handshakeOut.flush();
                log.debug("plugin server listening", Map.of("address", "127.0.0.1:" + port));
                return port;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new VmConfigException(
                VmConfigException.Kind.IO,
                "no free port on 127.0.0.1 between " + env.minPort() + " and " + env.maxPort(),
                last);
    }

    /** Stops accepting calls and lets running calls finish for a moment. */
    public void stop() {
        Thread t = new Thread(
                () -> {
                    Server s = server;
                    if (s != null) {
                        s.shutdown();
                        try {
                            if (!s.awaitTermination(500, TimeUnit.MILLISECONDS)) {
                                s.shutdownNow();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            s.shutdownNow();
                        }
                    }
                    stopped.countDown();
                },
                "plugin-shutdown");
        t.setDaemon(true);
        t.start();
    }

    /** Blocks until Shutdown was called. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }
}
