package io.vmconfig.cli;

import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.batch.VmResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmconfig export}: config-only definitions of the VMs in kubectl output, one file per VM. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        header = "Writes the config-only definition of each VM in the input files, one file per VM.",
        description = {
            "Writes the config-only definition of each VM found in PATH to DIR/<namespace>/<name>.yaml:",
            "the VM first (no status, no runtime metadata, claims recorded), then its dependencies found in PATH.",
            "PATH is a file or folder of YAML/JSON as 'kubectl get vm,secret,configmap,pvc,controllerrevision -o yaml'",
            "prints."
        })
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "PATH",
            description = "file or folder of Kubernetes objects")
    Path from;

    @Option(
            names = "--as-template",
            description =
                    "write each VM as a Harvester VirtualMachineTemplate and"
                            + " VirtualMachineTemplateVersion (harvesterhci.io/v1beta1): no machine identity, volumes as claim templates")
    boolean asTemplate;

    @Mixin
    BatchOptions batch;

    @Override
    public Integer call() {
        List<VmResult> results = BatchOutput.fitFileNames(ExportBatch.run(
                KubeObjectReader.read(from), asTemplate ? ExportBatch.Form.HARVESTER_TEMPLATE : ExportBatch.Form.VM));
        Map<VmResult, String> files = BatchOutput.write(batch.out(), results, batch.dryRun);
        ResultPrinter.print(spec.commandLine().getOut(), batch.output, "export", results, files);
        return BatchOutput.exitCode(results);
    }
}
