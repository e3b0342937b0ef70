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

/** {@code vmconfig activate}: failover on the DR cluster, of some VMs or of the whole site. */
@Command(
        name = "activate",
        mixinStandardHelpOptions = true,
        header = "Fails over DR VMs: marks them active, so sync leaves them alone, and gives back their run strategy.",
        description = {
            "Each VM named is marked activated (vmconfig.io/activated-at) and gets its original run",
            "strategy back (vmconfig.io/original-run-strategy) in one update: sync, restore --context and vm-restore",
            "then leave exactly those VMs alone and keep the others in step. With --all the whole DR site is first",
            "recorded as active (sync then applies nothing until 'deactivate --all'), then every VM vmconfig manages",
            "is activated."
        })
public final class ActivateCommand extends ClusterCommand {
    @Option(names = "--all", description = "the whole DR site: every VM vmconfig manages, and sync stops entirely")
    boolean all;

    @Parameters(paramLabel = "NAMESPACE/NAME", description = "the DR VMs to fail over")
    List<String> vms = new ArrayList<>();

    public ActivateCommand(KubeConnector connector, Clock clock) {
        super(connector, clock);
    }

    @Override
    public Integer call() {
        List<VmRef> refs = targets(all, vms);
        try (KubeCluster dr = kube.connect(connector)) {
            WritePermissions.beforeActivate(dr, kube.stateNamespace(), refs, clock);
            List<Activator.Result> results = new Activator(dr, kube.stateNamespace(), clock).activate(refs);
            return results(
                    all
                            ? "DR site activated on " + dr.name()
                            : refs.size() + " VM(s) activated on " + dr.name() + "; sync keeps the others in step",
                    results);
        }
    }
}
