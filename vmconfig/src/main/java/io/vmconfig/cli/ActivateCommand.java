package io.vmconfig.cli;

import io.vmconfig.adapters.kube.Activator;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmconfig activate}: failover on the DR cluster. */
@Command(name = "activate", mixinStandardHelpOptions = true,
        header = "Fails over: marks DR VMs active, so sync leaves them alone, and gives back their run strategy.",
        description = {"Records that the DR site is active (sync then applies nothing until 'deactivate') and sets",
            "each VM's original run strategy back (vmconfig.io/original-run-strategy)."})
public final class ActivateCommand extends ClusterCommand {
    @Option(names = "--all", description = "every VM vmconfig manages on the DR cluster")
    boolean all;

    @Parameters(paramLabel = "NAMESPACE/NAME", description = "the VMs to start")
    List<String> vms = new ArrayList<>();

    public ActivateCommand(KubeConnector connector, Clock clock) {
        super(connector, clock);
    }

    @Override
    public Integer call() {
        if (all == !vms.isEmpty()) {
            throw VmConfigException.config("give --all or NAMESPACE/NAME..., not both, not neither");
        }
        List<VmRef> refs = vms.stream().map(v -> {
            String[] p = v.split("/", 2);
            if (p.length != 2 || p[0].isEmpty() || p[1].isEmpty()) {
                throw VmConfigException.config("'" + v + "' is not NAMESPACE/NAME");
            }
            return new VmRef(p[0], p[1]);
        }).toList();
        try (KubeCluster dr = kube.connect(connector)) {
            WritePermissions.beforeActivate(dr, kube.stateNamespace, refs, clock);
            List<Activator.Result> results = new Activator(dr, kube.activation(dr, clock)).activate(refs);
            List<List<String>> rows = new ArrayList<>();
            results.forEach(r -> rows.add(List.of(r.vm().toString(), r.runStrategy() == null ? "-" : r.runStrategy(),
                    r.problem() == null ? "" : r.problem())));
            out().println("DR site activated on " + dr.name());
            Emit.table(out(), List.of("VM", "RUN STRATEGY", "PROBLEM"), rows);
            return results.stream().anyMatch(r -> r.runStrategy() == null) ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }
}
