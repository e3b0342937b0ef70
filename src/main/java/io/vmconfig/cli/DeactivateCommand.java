package io.vmconfig.cli;

import io.vmconfig.adapters.kube.Activator;
import io.vmconfig.adapters.kube.KubeCluster;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vmconfig deactivate}: sync may apply sets again (VMs running on DR are still never modified). */
@Command(name = "deactivate", mixinStandardHelpOptions = true,
        description = "Records that the DR site is passive again: sync applies sets again (never to running VMs).")
public final class DeactivateCommand implements Callable<Integer> {
    private final KubeConnector connector;
    private final Clock clock;

    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    public DeactivateCommand(KubeConnector connector, Clock clock) {
        this.connector = connector;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        try (KubeCluster dr = kube.connect(connector)) {
            new Activator(dr, kube.activation(dr, clock)).deactivate();
            spec.commandLine().getOut().println("DR site deactivated on " + dr.name());
            return ExitCodes.OK;
        }
    }
}
