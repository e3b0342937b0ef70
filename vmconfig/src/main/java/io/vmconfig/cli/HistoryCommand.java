package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.History;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmconfig history NAMESPACE/NAME}: the revisions of a VM across the sets. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Lists the revisions of one VM.")
public final class HistoryCommand extends RepoReadCommand {
    @Parameters(paramLabel = "NAMESPACE/NAME", description = "the VM whose revisions to list")
    String vm;

    public HistoryCommand(RepoEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() {
        List<History.Item> items = History.required(repo.reader(env), VmRef.parse(vm));
        ArrayNode tree = Json.array();
        List<List<String>> rows = new ArrayList<>();
        for (History.Item i : items) {
            Entry e = i.entry();
            tree.addObject().put("revision", e.revision()).put("generation", e.generation()).put("uid", e.uid())
                    .put("capturedAt", e.capturedAt().toString()).put("bundle", e.bundle().hex())
                    .put("size", e.size()).put("encrypted", e.encrypted()).put("firstSet", i.firstSet().value());
            rows.add(List.of("" + e.revision(), "" + e.generation(), e.capturedAt().toString(), e.bundle().shortForm(),
                    "" + e.size(), e.encrypted() ? "yes" : "no", i.firstSet().value()));
        }
        if (!Emit.structured(out(), output, tree)) {
            Emit.table(out(),
                    List.of("REVISION", "GENERATION", "CAPTURED", "BUNDLE", "SIZE", "ENCRYPTED", "FIRST SET"), rows);
        }
        return ExitCodes.OK;
    }
}
