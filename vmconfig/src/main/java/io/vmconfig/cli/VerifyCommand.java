package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Problem;
import io.vmconfig.core.repo.RepoVerifier;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code vmconfig verify}: every signature and hash; each corrupt or missing object by name; exit 3 if any. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        header = "Checks every signature and hash in the repository and names each corrupt or missing object.",
        description = {
            "Checks every set signature, sub-manifest and bundle hash. Lists each corrupt or missing",
            "object by name and exits with 3 when there is any. Encrypted bundles are fully checked with --key."
        })
public final class VerifyCommand extends RepoReadCommand {
    public VerifyCommand(RepoEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() {
        RepoVerifier.Report r = new RepoVerifier(repo.reader(env)).verify(new ProgressPrinter(err()));
        PrintWriter out = out();
        ObjectNode tree =
                Json.object().put("sets", r.sets()).put("objects", r.objects()).put("ok", r.ok());
        r.problems()
                .forEach(p -> tree.withArray("problems")
                        .addObject()
                        .put("object", p.object())
                        .put("problem", p.message()));
        if (!Emit.structured(out, output, tree)) {
            for (Problem p : r.problems()) {
                out.println("CORRUPT " + p.object() + ": " + p.message());
            }
            out.println("checked " + r.sets() + " sets and " + r.objects() + " objects: "
                    + (r.ok() ? "OK" : r.problems().size() + " problem(s)"));
        }
        return r.ok() ? ExitCodes.OK : ExitCodes.INTEGRITY;
    }
}
