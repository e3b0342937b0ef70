package io.vmconfig.cli;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.service.activation.Activator;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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

    /** {@code --all} (empty list) or the NAMESPACE/NAME arguments, exactly one of the two. */
    static List<VmRef> targets(boolean all, List<String> vms) {
        if (all == !vms.isEmpty()) {
            throw VmConfigException.config("give --all or NAMESPACE/NAME..., not both, not neither");
        }
        return vms.stream()
                .map(v -> {
                    String[] p = v.split("/", 2);
                    if (p.length != 2 || p[0].isEmpty() || p[1].isEmpty()) {
                        throw VmConfigException.config("'" + v + "' is not NAMESPACE/NAME");
                    }
                    return new VmRef(p[0], p[1]);
                })
                .toList();
    }

    /** The per-VM outcome table of activate and deactivate; 1 when a VM's run strategy or mark was not set. */
    int results(String headline, List<Activator.Result> results) {
        List<List<String>> rows = new ArrayList<>();
        results.forEach(r -> rows.add(List.of(
                r.vm().toString(),
                r.runStrategy() == null ? "-" : r.runStrategy(),
                r.problem() == null ? "" : r.problem())));
        out().println(headline);
        Emit.table(out(), List.of("VM", "RUN STRATEGY", "PROBLEM"), rows);
        return results.stream().anyMatch(r -> r.runStrategy() == null) ? ExitCodes.PARTIAL : ExitCodes.OK;
    }
}
