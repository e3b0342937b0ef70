package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export and restore through the real command line, on the examples and on bad input. */
class ExportRestoreCommandTest {
    @TempDir
    Path tmp;

    static final Path PRODUCTION = Fixtures.EXAMPLES.resolve("production");
    static final String MAP = Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();
    static final String INVENTORY =
            Fixtures.EXAMPLES.resolve("dr-inventory.yaml").toString();

    @Test
    void exportWritesOneFilePerVmWithTheVmFirst() {
        Cli.Result r = Cli.run(
                "export",
                "--from",
                PRODUCTION.toString(),
                "--out",
                tmp.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("prod-apps/web-01").contains("EXPORTED").contains("3 exported");
        List<SourcedObject> web = KubeObjectReader.read(tmp.resolve("out/prod-apps/web-01.yaml"));
        assertThat(web).extracting(SourcedObject::kind).containsExactly("VirtualMachine", "Secret");
        List<SourcedObject> db = KubeObjectReader.read(tmp.resolve("out/lab/db-02.yaml"));
        assertThat(db)
                .extracting(SourcedObject::kind)
                .containsExactly("VirtualMachine", "ControllerRevision", "ControllerRevision", "Secret", "Secret");
        assertThat(db.get(1).object().path("metadata").has("ownerReferences")).isFalse();
        assertThat(web.get(0)
                        .object()
                        .at("/metadata/annotations/vmconfig.io~1claims")
                        .asText())
                .contains("\"size\":\"100Gi\"");
    }

    @Test
    void exportAsTemplateWritesHarvesterTemplates() {
        Cli.Result r = Cli.run(
                "export",
                "--as-template",
                "--from",
                PRODUCTION.toString(),
                "--out",
                tmp.resolve("t").toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<SourcedObject> web = KubeObjectReader.read(tmp.resolve("t/prod-apps/web-01.yaml"));
        assertThat(web)
                .extracting(SourcedObject::kind)
                .containsExactly("VirtualMachineTemplate", "VirtualMachineTemplateVersion", "Secret");
    }

    @Test
    void exportNeverPrintsSecretValues() {
        Cli.Result r = Cli.run(
                "export",
                "--from",
                PRODUCTION.toString(),
                "--out",
                tmp.resolve("o").toString(),
                "-o",
                "json");
        assertThat(r.out()).doesNotContain("qemu-guest-agent").doesNotContain("I2Nsb3VkLWNvbmZpZwpob3N0bmFtZTog");
        JsonNode summary = Json.parse(r.out(), "out");
        assertThat(summary.path("counts").path("exported").asInt()).isEqualTo(3);
    }

    @Test
    void restoreWritesDrManifestsDependenciesFirst() {
        Path export = tmp.resolve("export");
        assertThat(Cli.run("export", "--from", PRODUCTION.toString(), "--out", export.toString())
                        .code())
                .isZero();
        Cli.Result r = Cli.run(
                "restore",
                "--from",
                export.toString(),
                "--map",
                MAP,
                "--out",
                tmp.resolve("dr").toString(),
                "--dr-inventory",
                INVENTORY,
                "-o",
                "yaml");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("status: restored");
        List<SourcedObject> db = KubeObjectReader.read(tmp.resolve("dr/lab-dr/db-02.yaml"));
        assertThat(db).extracting(SourcedObject::kind).endsWith("VirtualMachine");
        JsonNode vm = db.get(db.size() - 1).object();
        assertThat(vm.at("/spec/runStrategy").asText()).isEqualTo("Halted");
        assertThat(vm.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName")
                        .asText())
                .isEqualTo("dr-db-02-root");
        assertThat(db.get(0).object().at("/metadata/namespace").asText()).isEqualTo("lab-dr");
    }

    @Test
    void aBlockedVmIsListedWithReasonsAndNotWrittenWhileOthersAre() throws IOException {
        Path export = tmp.resolve("export");
        Cli.run("export", "--from", PRODUCTION.toString(), "--out", export.toString());
        Path inv = tmp.resolve("inv.yaml");
        Files.writeString(inv, Fixtures.read(Path.of(INVENTORY)).replace("name: dr-db-02-data", "name: gone"));
        Cli.Result r = Cli.run(
                "restore",
                "--from",
                export.toString(),
                "--map",
                MAP,
                "--out",
                tmp.resolve("dr").toString(),
                "--dr-inventory",
                inv.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains("lab/db-02")
                .contains("BLOCKED")
                .contains("PVC_MISSING")
                .contains("lab-dr/dr-db-02-data");
        assertThat(tmp.resolve("dr/lab-dr/db-02.yaml")).doesNotExist();
        assertThat(tmp.resolve("dr/prod-apps/web-01.yaml")).exists();
    }

    @Test
    void anUnmappedClaimBlocksOnlyItsVm() throws IOException {
        Path export = tmp.resolve("export");
        Cli.run("export", "--from", PRODUCTION.toString(), "--out", export.toString());
        Path map = tmp.resolve("map.yaml");
        Files.writeString(
                map,
                "apiVersion: vmconfig.io/v1\nkind: VolumeMap\nclaims: {lab/db-02-root: r, " + "lab/db-02-data: d}\n");
        Cli.Result r = Cli.run(
                "restore",
                "--from",
                export.toString(),
                "--map",
                map.toString(),
                "--out",
                tmp.resolve("dr").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("UNMAPPED_CLAIM").contains("prod-apps/web-01-rootdisk-k7wq2");
        assertThat(tmp.resolve("dr/lab/db-02.yaml")).exists();
        assertThat(tmp.resolve("dr/prod-apps")).doesNotExist();
    }

    @Test
    void copyModeFromTheCommandLineOverridesTheMap() {
        Path export = tmp.resolve("export");
        Cli.run("export", "--from", PRODUCTION.toString(), "--out", export.toString());
        Cli.Result refused = Cli.run(
                "restore",
                "--from",
                export.toString(),
                "--map",
                MAP,
                "--out",
                tmp.resolve("refused").toString(),
                "--mode",
                "copy");
        // the example map's rules would attach the copies to the replicated disks: refused, naming them
        assertThat(refused.code()).as(refused.out()).isEqualTo(5);
        assertThat(refused.out()).contains("FOREIGN_CLAIM").contains("rules[");
        Path copyMap = tmp.resolve("copy-map.yaml");
        try {
            Files.writeString(
                    copyMap,
                    "apiVersion: vmconfig.io/v1\nkind: VolumeMap\nunmapped: create-empty\n"
                            + "namespaces: {lab: lab-dr}\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Cli.Result r = Cli.run(
                "restore",
                "--from",
                export.toString(),
                "--map",
                copyMap.toString(),
                "--out",
                tmp.resolve("dr").toString(),
                "--mode",
                "copy");
        assertThat(r.code()).as(r.out()).isZero();
        JsonNode vm = KubeObjectReader.read(tmp.resolve("dr/prod-apps/web-01.yaml")).stream()
                .filter(o -> o.kind().equals("VirtualMachine"))
                .findFirst()
                .orElseThrow()
                .object();
        assertThat(vm.at("/metadata/annotations/vmconfig.io~1restore-mode").asText())
                .isEqualTo("copy");
        assertThat(vm.at("/spec/template/spec/domain/devices/interfaces/0").has("macAddress"))
                .isFalse();
    }

    @Test
    void anUnparsableFileIsAUsageErrorNamingItAndNothingIsWritten() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(PRODUCTION.resolve("web-01.yaml"), in.resolve("a.yaml"));
        Files.writeString(in.resolve("b.yaml"), "apiVersion: v1\nkind: [unclosed\n");
        Cli.Result r = Cli.run(
                "export", "--from", in.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("b.yaml").contains("not valid YAML");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void badVmsFailAloneWithFileAndObjectNamed() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(PRODUCTION.resolve("web-01.yaml"), in.resolve("good.yaml"));
        Files.writeString(in.resolve("bad.yaml"), """
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {namespace: x}
                spec: {}
                ---
                apiVersion: kubevirt.io/v9
                kind: VirtualMachine
                metadata: {name: future, namespace: x}
                spec: {template: {spec: {}}}
                ---
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {name: listless, namespace: x}
                spec: {template: {spec: {volumes: {a: b}}}}
                """);
        Cli.Result r = Cli.run(
                "export", "--from", in.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains("bad.yaml#1")
                .contains("metadata.name is missing")
                .contains("bad.yaml#2")
                .contains("x/future")
                .contains("kubevirt.io/v9")
                .contains("x/listless")
                .contains("volumes must be a list");
        assertThat(tmp.resolve("out/prod-apps/web-01.yaml")).exists();
        assertThat(tmp.resolve("out/x")).doesNotExist();
    }

    @Test
    void aVmWithTwoThousandVolumesIsRefusedByName() throws IOException {
        StringBuilder sb = new StringBuilder("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\n"
                + "metadata: {name: huge, namespace: x}\nspec:\n  template:\n    spec:\n      volumes:\n");
        for (int i = 0; i < 2000; i++) {
            sb.append("      - {name: v")
                    .append(i)
                    .append(", persistentVolumeClaim: {claimName: c")
                    .append(i)
                    .append("}}\n");
        }
        Path f = tmp.resolve("huge.yaml");
        Files.writeString(f, sb.toString());
        Cli.Result r = Cli.run(
                "export", "--from", f.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("huge.yaml#1").contains("x/huge").contains("2000 entries");
    }

    @Test
    void listKindsAndJsonInputAreRead() throws IOException {
        String vm = Json.compact(Fixtures.vm("kubevirt-db-02.yaml"));
        Path f = tmp.resolve("list.json");
        Files.writeString(f, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + vm + "]}");
        Cli.Result r = Cli.run(
                "export", "--from", f.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("warning: Secret lab/db-02-userdata is not in the input");
        assertThat(tmp.resolve("out/lab/db-02.yaml")).exists();
    }

    @Test
    void configErrorsExitTwoAndWriteNothing() throws IOException {
        Path map = tmp.resolve("map.yaml");
        Files.writeString(map, "apiVersion: vmconfig.io/v1\nkind: VolumeMap\nrules: [{regex: '(', replace: x}]\n");
        Cli.Result r = Cli.run(
                "restore",
                "--from",
                PRODUCTION.toString(),
                "--map",
                map.toString(),
                "--out",
                tmp.resolve("dr").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("map.yaml").contains("rules[0]").contains("invalid regex");
        assertThat(tmp.resolve("dr")).doesNotExist();
        assertThat(Cli.run("restore", "--from", "x").code()).isEqualTo(2);
        assertThat(Cli.run("restore", "--from", PRODUCTION.toString(), "--map", MAP, "--out", "o", "--mode", "z")
                        .err())
                .contains("mode 'z'");
        assertThat(Cli.run("export", "--from", tmp.resolve("missing").toString(), "--out", "o")
                        .err())
                .contains("no such file or folder");
    }

    @Test
    void dryRunWritesNothing() {
        Cli.Result r = Cli.run(
                "export",
                "--from",
                PRODUCTION.toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--dry-run");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("(dry run)");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void reExportReplacesFilesAndLeavesNoStaging() throws IOException {
        Path out = tmp.resolve("out");
        Cli.run("export", "--from", PRODUCTION.toString(), "--out", out.toString());
        Cli.run("export", "--from", PRODUCTION.toString(), "--out", out.toString());
        try (Stream<Path> s = Files.walk(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
        assertThat(out.resolve("prod-apps/web-01.yaml")).exists();
    }
}
