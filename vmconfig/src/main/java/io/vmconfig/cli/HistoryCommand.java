package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.History;
import io.vmconfig.core.vm.VmRef;
import io.vmconfig.service.history.DrHistory;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vmconfig history NAMESPACE/NAME}: the revisions of a VM across the sets. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        header = "Lists the revisions of one VM, and with --context what the DR cluster says was applied.",
        description = {
            "Lists the revisions of one VM across the sets of the repository. With --context (or",
            "--kubeconfig), also what the DR cluster holds for it: each DR VM restored from it with the set, revision,",
            "user and time of its last write (vmconfig.io/applied-by, vmconfig.io/applied-at), and the sync's",
            "Created/Updated Events on it (docs/permissions.md)."
        })
public final class HistoryCommand extends RepoReadCommand {
    @Parameters(paramLabel = "NAMESPACE/NAME", description = "the VM whose revisions to list")
    String vm;

    @Mixin
    KubeOptions kube;

    private final KubeConnector connector;

    public HistoryCommand(RepoEnvironment env, KubeConnector connector) {
        super(env);
        this.connector = connector;
    }

    @Override
    public Integer call() {
        List<History.Item> items = History.required(repo.reader(env), VmRef.parse(vm));
        ArrayNode tree = Json.array();
        List<List<String>> rows = new ArrayList<>();
        for (History.Item i : items) {
            Entry e = i.entry();
            tree.addObject()
                    .put("revision", e.revision())
                    .put("generation", e.generation())
                    .put("uid", e.uid())
                    .put("capturedAt", e.capturedAt().toString())
                    .put("bundle", e.bundle().hex())
                    .put("size", e.size())
                    .put("encrypted", e.encrypted())
                    .put("firstSet", i.firstSet().value());
            rows.add(List.of(
                    "" + e.revision(),
                    "" + e.generation(),
                    e.capturedAt().toString(),
                    e.bundle().shortForm(),
                    "" + e.size(),
                    e.encrypted() ? "yes" : "no",
                    i.firstSet().value()));
        }
        if (!kube.given()) {
            if (!Emit.structured(out(), output, tree)) {
                revisions(rows);
            }
            return ExitCodes.OK;
        }
        List<DrHistory.Apply> applies;
        try (KubeCluster dr = kube.connect(connector)) {
            applies = DrHistory.of(dr, VmRef.parse(vm));
        }
        ObjectNode both = Json.object();
        both.set("revisions", tree);
        ArrayNode drTree = both.putArray("dr");
        List<List<String>> drRows = new ArrayList<>();
        for (DrHistory.Apply a : applies) {
            drTree.addObject()
                    .put("at", a.at())
                    .put("vm", a.drVm())
                    .put("what", a.what())
                    .put("set", a.set())
                    .put("revision", a.revision())
                    .put("by", a.by());
            drRows.add(List.of(a.at(), a.drVm(), a.what(), a.set(), a.revision(), a.by()));
        }
        if (!Emit.structured(out(), output, both)) {
            revisions(rows);
            out().println();
            out().println("DR side:");
            Emit.table(out(), List.of("AT", "DR VM", "WHAT", "SET", "REVISION", "BY"), drRows);
        }
        return ExitCodes.OK;
    }

    private void revisions(List<List<String>> rows) {
        Emit.table(
                out(), List.of("REVISION", "GENERATION", "CAPTURED", "BUNDLE", "SIZE", "ENCRYPTED", "FIRST SET"), rows);
    }
}
