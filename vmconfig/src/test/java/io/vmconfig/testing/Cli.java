package io.vmconfig.testing;

import io.vmconfig.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line (the composition root's wiring) in-process and captures its output. */
public final class Cli {
    public record Result(int code, String out, String err) {}

    private Cli() {}

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.runner().run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The same, reaching clusters through {@code kube} (to count each cluster's requests). */
    public static Result run(io.vmconfig.cli.KubeConnector kube, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.runner(Main.environment(), kube).run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
