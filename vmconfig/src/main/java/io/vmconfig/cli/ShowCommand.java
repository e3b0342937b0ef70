package io.vmconfig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.repo.History;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.vm.VmRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmconfig show NAMESPACE/NAME[@REVISION]}: one revision's bundle, Secret values redacted. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Prints a VM revision (default: the newest) with its dependencies; Secret values are redacted.")
public final class ShowCommand extends RepoReadCommand {
    @Parameters(
            paramLabel = "NAMESPACE/NAME[@REVISION]",
            description = "the VM, and the revision number as 'history' lists it (default: the newest)")
    String target;

    public ShowCommand(RepoEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() {
        int at = target.lastIndexOf('@');
        VmRef ref = VmRef.parse(at < 0 ? target : target.substring(0, at));
        Long revision = at < 0 ? null : Revisions.parse(target.substring(at + 1));
        JsonNode bundle = Redact.secrets(bundle(repo.reader(env), ref, revision), repo.repositoryKey());
        out().print(output == OutputFormat.json ? Json.pretty(bundle) + "\n" : Yaml.write(bundle));
        return ExitCodes.OK;
    }

    static JsonNode bundle(RepoReader reader, VmRef ref, Long revision) {
        return reader.bundle(History.revision(reader, ref, revision));
    }
}
