package io.vmconfig.testing;

import io.vmconfig.app.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real CLI in a JVM of its own (this JVM's java and class path), with the JVM options a memory test gives it
 * (a small -Xmx, SerialGC): it exits at its first OutOfMemoryError, so running out of heap is a non-zero exit.
 */
public final class ForkedCli {
    private ForkedCli() {}

    /** What the forked CLI printed and its exit code. */
    public record Forked(int code, String out, String err) {}

    /** Runs {@code args} with {@code jvmOptions}; its output goes through files in {@code dir}. */
    public static Forked run(Path dir, List<String> jvmOptions, List<String> args, int timeoutMinutes)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Path stdout = Files.createTempFile(dir, "out", ".txt");
        Path stderr = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "vmconfig " + args.get(0) + " did not finish within " + timeoutMinutes + " minutes");
        }
        return new Forked(
                p.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
