package io.vmconfig.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the commands that only talk to a cluster (activate, deactivate) share: how to reach it, and the clock. */
abstract class ClusterCommand implements Callable<Integer> {
    final KubeConnector connector;
    final Clock clock;

    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    ClusterCommand(KubeConnector connector, Clock clock) {
        this.connector = connector;
        this.clock = clock;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
