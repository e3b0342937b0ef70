package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.SetId;
import io.vmconfig.core.repo.SetManifest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code vmconfig sets}: the sets of the repository, oldest first, each checked. */
@Command(name = "sets", mixinStandardHelpOptions = true, description = "Lists the sets, oldest first.")
public final class SetsCommand extends RepoReadCommand {
    public SetsCommand(RepoEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() {
        RepoReader reader = repo.reader(env);
        ArrayNode items = Json.array();
        List<List<String>> rows = new ArrayList<>();
        boolean invalid = false;
        for (SetId id : reader.sets()) {
            try {
                SetManifest m = reader.manifest(id);
                items.addObject()
                        .put("set", id.value())
                        .put("created", m.created().toString())
                        .put("sourceCluster", m.sourceCluster())
                        .put("run", m.run())
                        .put("vms", m.vmCount())
                        .put("toolVersion", m.toolVersion())
                        .put("status", status());
                rows.add(List.of(
                        id.value(), m.created().toString(), m.sourceCluster(), m.run(), "" + m.vmCount(), status()));
            } catch (VmConfigException e) {
                invalid = true;
                items.addObject()
                        .put("set", id.value())
                        .put("status", "invalid")
                        .put("reason", e.getMessage());
                rows.add(List.of(id.value(), "", "", "", "", "INVALID: " + e.getMessage()));
            }
        }
        if (!Emit.structured(out(), output, items)) {
            Emit.table(out(), List.of("SET", "CREATED", "SOURCE", "RUN", "VMS", "STATUS"), rows);
        }
        return invalid ? ExitCodes.INTEGRITY : ExitCodes.OK;
    }

    private String status() {
        return repo.insecureSkipVerify ? "unverified" : "verified";
    }
}
