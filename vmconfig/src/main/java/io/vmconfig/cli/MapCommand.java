package io.vmconfig.cli;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmconfig map invert}: the reverse VolumeMap for failback. */
@Command(name = "map", mixinStandardHelpOptions = true, description = "Works on VolumeMap files.")
public final class MapCommand {
    @Spec
    CommandSpec spec;

    @Command(
            name = "invert",
            mixinStandardHelpOptions = true,
            header = "Writes the reverse of a one-to-one VolumeMap (DR back onto production), for failback.",
            description = {
                "Swaps every pair: namespaces, claims (keyed by the DR namespace and claim, naming the",
                "production claim), storage classes, networks and cluster networks; mode and unmapped are kept.",
                "A map that is not one-to-one is refused, naming every name rule (regex, prefix, suffix; only",
                "{prefix: \"\"} is its own reverse) and every pair whose target another pair maps onto too:",
                "write those as explicit 'claims' pairs first. Nothing is written then (exit code 2).",
                "Names a map leaves as they are stay as they are in the reverse too.",
                "",
                "Examples:",
                "  # the failback map, reviewed, then used with restore --context PROD",
                "  vmconfig map invert --map volume-map.yaml --out failback-map.yaml",
                "  # print it",
                "  vmconfig map invert --map volume-map.yaml"
            })
    int invert(
            @Option(
                            names = "--map",
                            required = true,
                            paramLabel = "FILE",
                            description = "the VolumeMap to reverse (production onto DR)")
                    Path map,
            @Option(
                            names = "--out",
                            paramLabel = "FILE",
                            description =
                                    "file to write the reverse map to (never overwritten); default: standard output")
                    Path out) {
        String text = "# the reverse of " + map.getFileName() + " (vmconfig map invert): DR onto production\n"
                + Yaml.write(RestoreCommand.readMap(map).invert(map.toString()).toTree());
        if (out == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        try {
            Files.writeString(
                    out, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new VmConfigException(VmConfigException.Kind.REFUSED, out + " exists; not overwritten");
        } catch (IOException e) {
            throw VmConfigException.config(
                    "cannot write " + out + ": " + e.getClass().getSimpleName());
        }
        spec.commandLine().getOut().println("wrote " + out + ": the reverse of " + map);
        return ExitCodes.OK;
    }
}
