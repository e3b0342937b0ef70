package io.vmconfig.drill;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.app.Main;
import io.vmconfig.cli.CliRunner;
import io.vmconfig.cli.KubeConnector;
import io.vmconfig.cli.RepoEnvironment;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The composition root of {@code vmconfig-drill.jar} (what {@code bin/vmconfig} runs): every product command plus
 * {@code drill}, which brings its own S3 server and API servers. The product jar and the plugin file do not have it.
 */
public final class DrillMain {
    /** S3Proxy's Jetty life says nothing to a person running the drill. */
    private static final Logger QUIET = quiet();

    private DrillMain() {}

    private static Logger quiet() {
        Logger l = Logger.getLogger("org.gaul");
        l.setLevel(Level.WARNING);
        return l;
    }

    public static CliRunner runner(RepoEnvironment repo, KubeConnector kube) {
        List<Object> commands = new ArrayList<>(Main.commands(repo, kube));
        commands.add(2, new DrillCommand(args -> run(repo, kube, args)));
        return new CliRunner(commands);
    }

    /** Runs one product command line in-process with its output captured: the drill drives the real commands. */
    static CommandRunner.Ran run(RepoEnvironment repo, KubeConnector kube, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.runner(repo, kube).run(new PrintWriter(out), new PrintWriter(err), args);
        return new CommandRunner.Ran(code, out.toString(), err.toString());
    }

    public static void main(String[] args) {
        RepoEnvironment repo = Main.environment();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(runner(repo, KubeCluster::connect).run(out, err, args));
    }
}
