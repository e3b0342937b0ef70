package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.JsonDiff;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.vm.VmRef;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmconfig diff NAMESPACE/NAME REV1 REV2}: what changed between two revisions, path by path. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "Shows what changed between two revisions of a VM (+ added, - removed, ~ changed).")
public final class DiffCommand extends RepoReadCommand {
    @Parameters(index = "0", paramLabel = "NAMESPACE/NAME", description = "the VM to compare two revisions of")
    String vm;

    @Parameters(
            index = "1",
            paramLabel = "REV1",
            description = "the older revision number, as 'history' lists it (1, r1, …)")
    String rev1;

    @Parameters(index = "2", paramLabel = "REV2", description = "the newer revision number to compare it with")
    String rev2;

    public DiffCommand(RepoEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() {
        RepoReader reader = repo.reader(env);
        VmRef ref = VmRef.parse(vm);
        List<JsonDiff.Change> changes = JsonDiff.diff(
                Redact.secrets(ShowCommand.bundle(reader, ref, Revisions.parse(rev1)), repo.repositoryKey()),
                Redact.secrets(ShowCommand.bundle(reader, ref, Revisions.parse(rev2)), repo.repositoryKey()));
        PrintWriter out = out();
        ArrayNode tree = Json.array();
        changes.forEach(c -> tree.addObject()
                .put("op", String.valueOf(c.op()))
                .put("path", c.path())
                .set("before", c.before()));
        for (int i = 0; i < changes.size(); i++) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get(i))
                    .set("after", changes.get(i).after());
        }
        if (!Emit.structured(out, output, tree)) {
            changes.forEach(out::println);
            if (changes.isEmpty()) {
                out.println("no differences");
            }
        }
        return ExitCodes.OK;
    }
}
