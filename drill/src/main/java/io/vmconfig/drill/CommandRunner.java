package io.vmconfig.drill;

/**
 * Runs a vmconfig command line in-process, the way a person would type it, and captures what it printed. The
 * composition root provides it, so that the drill drives the real commands.
 */
@FunctionalInterface
public interface CommandRunner {
    Ran run(String... args);

    /** Exit code and captured output of one command. */
    record Ran(int code, String out, String err) {}
}
