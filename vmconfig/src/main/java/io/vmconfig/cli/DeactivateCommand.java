package io.vmconfig.cli;

import io.vmconfig.adapters.kube.Activator;
import io.vmconfig.adapters.kube.KubeCluster;
import java.time.Clock;
import picocli.CommandLine.Command;

/** {@code vmconfig deactivate}: sync may apply sets again (VMs running on DR are still never modified). */
@Command(name = "deactivate", mixinStandardHelpOptions = true,
        description = "Records that the DR site is passive again: sync applies sets again (never to running VMs).")
public final class DeactivateCommand extends ClusterCommand {
    public DeactivateCommand(KubeConnector connector, Clock clock) {
        super(connector, clock);
    }

    @Override
    public Integer call() {
        try (KubeCluster dr = kube.connect(connector)) {
            WritePermissions.beforeDeactivate(dr, kube.stateNamespace, clock);
            new Activator(dr, kube.activation(dr, clock)).deactivate();
            out().println("DR site deactivated on " + dr.name());
            return ExitCodes.OK;
        }
    }
}
