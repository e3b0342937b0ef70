package io.vmconfig.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built plugin started the way Velero's go-plugin host starts it: the file path as argv[0], Velero's server flags
 * as arguments, Velero's environment plus go-plugin's variables; the first stdout line is the handshake.
 */
final class PluginProcess implements AutoCloseable {
    static final Pattern HANDSHAKE = Pattern.compile("^1\\|2\\|tcp\\|127\\.0\\.0\\.1:(\\d+)\\|grpc\\|$");
    static final List<String> VELERO_ARGS = List.of(
            "--uploader-type=kopia", "--features=", "--log-level", "debug", "--default-volumes-to-fs-backup=false");

    final Process process;
    final String handshake;
    final int port;
    final ManagedChannel channel;
    private final List<String> stderr;
    private final CompletableFuture<String> restOfStdout;

    private PluginProcess(Process process, String handshake, List<String> stderr) {
        this.process = process;
        this.stderr = stderr;
        this.handshake = handshake;
        Matcher m = HANDSHAKE.matcher(handshake);
        assertThat(m.matches()).as("handshake line %s", handshake).isTrue();
        this.port = Integer.parseInt(m.group(1));
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .build();
        this.restOfStdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    }

    static Path binary() {
        return Path.of(System.getProperty("vmconfig.plugin", "target/plugin/vmconfig"))
                .toAbsolutePath();
    }

    /** Velero's environment: the cookie, protocol 2, the port range, a scratch folder shared by the tests. */
    static Map<String, String> veleroEnv() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("VELERO_PLUGIN", "hello");
        env.put("PLUGIN_PROTOCOL_VERSIONS", "2");
        env.put("PLUGIN_MIN_PORT", "10000");
        env.put("PLUGIN_MAX_PORT", "25000");
        env.put("VELERO_NAMESPACE", "velero");
        env.put("VELERO_SCRATCH_DIR", scratch().toString());
        return env;
    }

    static Path scratch() {
        Path p = Path.of(System.getProperty("java.io.tmpdir"), "vmconfig-plugin-it-scratch");
        try {
            java.nio.file.Files.createDirectories(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    static PluginProcess start(Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.addAll(VELERO_ARGS);
        return start(cmd, env);
    }

    static PluginProcess start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(() -> readLines(p, err), "plugin-stderr");
        t.setDaemon(true);
        t.start();
        String line = readLine(p.getInputStream());
        if (line == null) {
            throw new AssertionError("plugin closed stdout without a handshake; stderr: " + err);
        }
        return new PluginProcess(p, line, err);
    }

    /** stderr lines so far. */
    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** Everything written to stdout after the handshake line, once the process has exited. */
    String stdoutAfterHandshake() throws Exception {
        return restOfStdout.get(10, TimeUnit.SECONDS);
    }

    boolean exitsWithin(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one line byte by byte, so nothing after it is consumed by a buffer. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    private static void readLines(Process p, List<String> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                into.add(l);
            }
        } catch (IOException e) {
            // once the process is gone the JDK closes its pipe under the reader: the end, not a line. The JDK may
            // close it a moment before isAlive() turns false (seen once in a clean-clone verify), so wait for the
            // exit before calling it a broken pipe of a live process
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    into.add("<" + e + ">");
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
