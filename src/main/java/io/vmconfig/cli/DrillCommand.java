package io.vmconfig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.files.EmbeddedExamples;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.batch.RestoreBatch;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.RestoreMode;
import io.vmconfig.core.restore.VolumeMap;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmconfig drill}: the whole file-based story on the example VMs, printed step by step, with every
 * expectation checked on what was written. Exit 0 when every step held.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Runs the DR story on the example VMs (embedded, or --examples DIR): export the production",
            "VMs, restore them for failover onto the replicated DR volumes, restore a test copy, and check every",
            "result. Exit 0 when every step held."})
public final class DrillCommand implements Callable<Integer> {
    private final Supplier<UUID> uuids;

    @Spec
    CommandSpec spec;

    @Option(names = "--examples", paramLabel = "DIR",
            description = "folder with production/, volume-map.yaml and dr-inventory.yaml (default: embedded)")
    Path examples;

    @Option(names = "--work", paramLabel = "DIR", description = "where to write (default: a new temporary folder)")
    Path work;

    public DrillCommand(Supplier<UUID> uuids) {
        this.uuids = uuids;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = work != null ? work : Files.createTempDirectory("vmconfig-drill-");
        Path ex = examples != null ? examples : EmbeddedExamples.extractTo(dir.resolve("examples"));
        DrillChecks checks = new DrillChecks(out);
        out.println("vmconfig drill: examples " + (examples != null ? ex : "(embedded)") + ", work folder " + dir);

        List<SourcedObject> production = KubeObjectReader.read(ex.resolve("production"));
        List<VmResult> exported = ExportBatch.run(production);
        BatchOutput.write(dir.resolve("export"), exported, false);
        out.println("1. export: " + exported.size() + " VMs from " + ex.resolve("production") + " -> "
                + dir.resolve("export"));
        checks.exported(exported, production);

        VolumeMap map = RestoreCommand.readMap(ex.resolve("volume-map.yaml"));
        List<JsonNode> invObjects = KubeObjectReader.read(ex.resolve("dr-inventory.yaml")).stream()
                .map(SourcedObject::object).toList();
        DrInventory inventory = DrInventory.of(invObjects);
        List<SourcedObject> exportedFiles = KubeObjectReader.read(dir.resolve("export"));
        List<VmResult> failover = RestoreBatch.run(exportedFiles, new DrRestore(map, uuids), Optional.of(inventory));
        BatchOutput.write(dir.resolve("dr-failover"), failover, false);
        out.println("2. restore (failover) with volume-map.yaml and the DR inventory -> " + dir.resolve("dr-failover"));
        checks.failover(KubeObjectReader.read(dir.resolve("dr-failover")), inventory, exported.size());

        List<VmResult> copy = RestoreBatch.run(exportedFiles,
                new DrRestore(map.withMode(RestoreMode.COPY), uuids), Optional.of(inventory));
        BatchOutput.write(dir.resolve("dr-copy"), copy, false);
        out.println("3. restore (copy, for a test cluster) -> " + dir.resolve("dr-copy"));
        checks.copy(KubeObjectReader.read(dir.resolve("dr-copy")), exportedFiles);

        out.println();
        ResultPrinter.print(out, OutputFormat.table, "restore", failover, java.util.Map.of());
        out.println();
        if (checks.failures() > 0) {
            out.println("drill FAILED: " + checks.failures() + " check(s) did not hold");
            return ExitCodes.PARTIAL;
        }
        out.println("drill passed: " + checks.passed() + " checks held");
        return ExitCodes.OK;
    }

}
