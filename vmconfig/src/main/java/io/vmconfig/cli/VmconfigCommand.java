package io.vmconfig.cli;

import picocli.CommandLine.Command;

/** The root command; subcommands are added by the composition root. */
@Command(
        name = "vmconfig",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps KubeVirt/Harvester VM definitions in step between a production and a DR cluster.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything asked for was done",
            "1:some VMs were blocked or failed, the others were done",
            "2:usage or configuration error, nothing was done",
            "3:stored data failed an integrity check",
            "4:a store or cluster could not be reached",
            "5:a safety rule refused the action",
            "70:internal error"
        })
public final class VmconfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
