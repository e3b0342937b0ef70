package io.vmconfig.app;

import io.vmconfig.adapters.goplugin.JsonLogger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The training run of the build: starts the plugin as Velero does and exits as soon as the handshake line is out,
 * so the AOT cache (or CDS archive) written at exit holds exactly the classes a plugin process needs before its
 * handshake. Not used at run time.
 *
 * <p>Why only the handshake: JDK 25 loads and links every class of the cache when the process starts, so each class
 * in it is resident from the first millisecond. Trained on the Execute paths as well (gRPC calls, staging, vm-restore),
 * the cache was 40 MB and the RSS after the handshake 80 MiB; trained on the handshake it is 24 MB and 62 MiB, the
 * handshake is faster, and the RSS after 10,000 Executes is the same, because those classes are loaded anyway by then
 * (docs/benchmarks.md, issue 13).
 */
public final class PluginTraining {
    private PluginTraining() {}

    public static void main(String[] args) throws Exception {
        try {
            train();
        } catch (Exception | Error e) {
            // the gRPC server's threads would keep the JVM (and the build) waiting forever
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void train() throws Exception {
        System.setProperty("io.grpc.netty.shaded.io.netty.transport.noNative", "true");
        JsonLogger log = PluginMain.processSetup(new String[] {"--features=", "--log-level", "info"});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream handshake = new PrintStream(out, true, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of(
                "VELERO_PLUGIN",
                "hello",
                "PLUGIN_PROTOCOL_VERSIONS",
                "2",
                "PLUGIN_MIN_PORT",
                "20000",
                "PLUGIN_MAX_PORT",
                "25000",
                "VELERO_NAMESPACE",
                "velero");
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
            try {
                return PluginMain.run(env, "/plugins/vmconfig", log, handshake);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        });
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (out.size() == 0) {
            if (served.isDone() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the plugin printed no handshake line (exit " + served.getNow(-1) + ")");
            }
            Thread.sleep(5);
        }
        String line = out.toString(StandardCharsets.UTF_8).trim();
        if (!line.matches("1\\|2\\|tcp\\|127\\.0\\.0\\.1:\\d+\\|grpc\\|?")) {
            throw new IllegalStateException("unexpected handshake line: " + line);
        }
        System.exit(0);
    }
}
