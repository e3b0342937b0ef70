package io.vmconfig.cli;

import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.batch.RestoreBatch;
import io.vmconfig.core.batch.TemplateExpansion;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.service.access.WritePermissions;
import io.vmconfig.service.imports.KubeImporter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmconfig import}: VMs from exported files or Harvester templates into a target cluster. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        header = "Creates exported VMs or Harvester templates in a cluster, halted, never overwriting an existing VM.",
        description = {
            "Creates the VMs of PATH (files from 'export', or Harvester templates from 'export",
            "--as-template') in the target cluster, Halted, with their dependencies. With --map, claims are mapped onto",
            "existing volumes and pre-flighted like a DR restore; with --copy, the VMs get new empty disks and a new",
            "identity. An existing VM is never overwritten."
        })
public final class ImportCommand implements Callable<Integer> {
    static final String COPY_MAP = "apiVersion: vmconfig.io/v1\nkind: VolumeMap\nmode: copy\nunmapped: create-empty\n";

    private final Supplier<UUID> uuids;
    private final KubeConnector connector;
    private final Clock clock;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "PATH", description = "exported files or templates")
    Path from;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Disks disks;

    static final class Disks {
        @Option(names = "--map", paramLabel = "FILE", description = "VolumeMap: claims onto existing volumes")
        Path map;

        @Option(names = "--copy", description = "new empty disks and a new identity (MACs, firmware UUID)")
        boolean copy;

        @Option(
                names = "--templates",
                description = "create the Harvester VirtualMachineTemplates and their"
                        + " Versions of PATH themselves (from 'export --as-template'), never overwriting")
        boolean templates;
    }

    @Mixin
    KubeOptions kube;

    @Option(names = "--dry-run", description = "decide and show, create nothing")
    boolean dryRun;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            paramLabel = "FORMAT",
            description = "summary format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    public ImportCommand(Supplier<UUID> uuids, KubeConnector connector, Clock clock) {
        this.uuids = uuids;
        this.connector = connector;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (disks.templates) {
            return templates();
        }
        VolumeMap map = disks.copy ? VolumeMap.parse(COPY_MAP, "--copy") : RestoreCommand.readMap(disks.map);
        var objects = TemplateExpansion.expand(KubeObjectReader.read(from));
        try (KubeCluster target = kube.connect(connector)) {
            KubeImporter importer = new KubeImporter(target);
            DrInventory inventory = importer.inventory(kube.stateNamespace(), clock);
            List<VmResult> results = RestoreBatch.run(objects, new DrRestore(map, uuids), Optional.of(inventory));
            if (!dryRun) {
                WritePermissions.beforeImport(target, results, clock);
            }
            List<KubeImporter.Imported> imported = importer.importAll(results, dryRun);
            IdentityHashMap<VmResult, String> detail = new IdentityHashMap<>();
            imported.stream()
                    .filter(i -> i.result().ok())
                    .forEach(i -> detail.put(
                            i.result(), i.created() ? "created (" + i.written() + " object(s))" : i.detail()));
            ResultPrinter.print(spec.commandLine().getOut(), output, "import", results, detail);
            if (results.stream().anyMatch(r -> r.status() == VmResult.Status.REFUSED)) {
                return ExitCodes.REFUSED;
            }
            return imported.stream().allMatch(KubeImporter.Imported::created) ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }

    private int templates() {
        List<com.fasterxml.jackson.databind.node.ObjectNode> objects = KubeObjectReader.read(from).stream()
                .filter(o -> o.object().isObject())
                .map(o -> (com.fasterxml.jackson.databind.node.ObjectNode) o.object())
                .toList();
        try (KubeCluster target = kube.connect(connector)) {
            if (!dryRun) {
                WritePermissions.beforeImportObjects(target, objects, clock);
            }
            List<KubeImporter.ImportedTemplate> done = new KubeImporter(target).importTemplates(objects, dryRun);
            var out = spec.commandLine().getOut();
            out.printf("%-40s  %s%n", "TEMPLATE", "RESULT");
            for (KubeImporter.ImportedTemplate t : done) {
                out.printf(
                        "%-40s  %s%n",
                        io.vmconfig.core.json.Printable.escape(t.template()),
                        io.vmconfig.core.json.Printable.escape(
                                t.created() ? "created (" + t.written() + " object(s))" : t.detail()));
            }
            if (done.isEmpty()) {
                out.println("no VirtualMachineTemplates in " + from + " (make them with 'export --as-template')");
                return ExitCodes.PARTIAL;
            }
            return done.stream().allMatch(KubeImporter.ImportedTemplate::created) ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }
}
