package io.vmconfig.cli;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.service.access.WritePermissions;
import io.vmconfig.service.activation.Activator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmconfig deactivate}: sync may apply sets again to these VMs (never while one runs). */
@Command(
        name = "deactivate",
        mixinStandardHelpOptions = true,
        header = "Hands DR VMs back to sync: removes their activation mark (never touching a running VM).",
        description = {
            "Removes the activation mark of each VM named; with --all, also records that the DR site is",
            "passive again. Run strategies are not changed: a VM still running stays out of sync's reach until it is",
            "stopped."
        })
public final class DeactivateCommand extends ClusterCommand {
    @Option(names = "--all", description = "the whole DR site: the site flag and every VM's mark")
    boolean all;

    @Parameters(paramLabel = "NAMESPACE/NAME", description = "the DR VMs to hand back to sync")
    List<String> vms = new ArrayList<>();

    public DeactivateCommand(KubeConnector connector, Clock clock) {
        super(connector, clock);
    }

    @Override
    public Integer call() {
        List<VmRef> refs = targets(all, vms);
        try (KubeCluster dr = kube.connect(connector)) {
            WritePermissions.beforeDeactivate(dr, kube.stateNamespace(), refs, clock);
            List<Activator.Result> results = new Activator(dr, kube.stateNamespace(), clock).deactivate(refs);
            return results(
                    all ? "DR site deactivated on " + dr.name() : refs.size() + " VM(s) deactivated on " + dr.name(),
                    results);
        }
    }
}
