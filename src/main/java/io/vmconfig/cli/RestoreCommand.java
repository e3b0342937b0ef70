package io.vmconfig.cli;

import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.RestoreBatch;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.RestoreMode;
import io.vmconfig.core.restore.VolumeMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmconfig restore}: DR-ready manifests from exported VM definitions. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Writes DR-ready manifests (VMs Halted, claims remapped to the replicated PVCs) in the same",
            "layout, ready for 'kubectl apply -f'. Blocked VMs are not written and are listed with every reason."})
public final class RestoreCommand implements Callable<Integer> {
    private final Supplier<UUID> uuids;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "exported definitions (file or folder)")
    Path from;

    @Option(names = "--map", required = true, paramLabel = "FILE", description = "the VolumeMap")
    Path map;

    @Option(names = "--mode", paramLabel = "MODE", description = "failover or copy (default: the VolumeMap's mode)")
    String mode;

    @Option(names = "--dr-inventory", paramLabel = "FILE",
            description = "DR objects for the pre-flight: 'kubectl get pvc,net-attach-def,sc,vm,"
                    + "virtualmachineclusterinstancetypes,virtualmachineclusterpreferences -A -o yaml'")
    Path inventory;

    @Mixin
    BatchOptions batch;

    public RestoreCommand(Supplier<UUID> uuids) {
        this.uuids = uuids;
    }

    @Override
    public Integer call() {
        VolumeMap volumeMap = readMap(map);
        if (mode != null) {
            volumeMap = volumeMap.withMode(RestoreMode.parse(mode, "--mode"));
        }
        Optional<DrInventory> inv = Optional.ofNullable(inventory)
                .map(p -> DrInventory.of(KubeObjectReader.read(p).stream().map(o -> o.object()).toList()));
        List<VmResult> results = RestoreBatch.run(KubeObjectReader.read(from), new DrRestore(volumeMap, uuids), inv);
        Map<VmResult, String> files = BatchOutput.write(batch.out, results, batch.dryRun);
        ResultPrinter.print(spec.commandLine().getOut(), batch.output, "restore", results, files);
        return BatchOutput.exitCode(results);
    }

    static VolumeMap readMap(Path file) {
        try {
            return VolumeMap.parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw VmConfigException.config(file + ": cannot read the VolumeMap: " + e.getMessage());
        }
    }
}
