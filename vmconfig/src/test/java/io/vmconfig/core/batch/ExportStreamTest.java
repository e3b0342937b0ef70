package io.vmconfig.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streamed export gives what the export of the whole input gives, wherever the objects lie. */
class ExportStreamTest {

    @Test
    void everyObjectInAPartOfItsOwnGivesTheResultsOfTheWholeInput() throws Exception {
        List<SourcedObject> all = new ArrayList<>();
        for (String name : List.of("web-01", "db-02", "app-03")) {
            Path f = Fixtures.EXAMPLES.resolve("production").resolve(name + ".yaml");
            all.addAll(io.vmconfig.core.json.Yaml.parseAll(Files.readString(f), name).stream()
                    .map(n -> new SourcedObject(
                            name + "#" + n.at("/metadata/name").asText(), n))
                    .toList());
        }
        // a VM twice (both copies fail), a VMI without its VM (reported), a VMI with its VM (not reported)
        ObjectNode twice = all.stream()
                .filter(o -> o.kind().equals("VirtualMachine"))
                .findFirst()
                .orElseThrow()
                .object()
                .deepCopy();
        all.add(new SourcedObject("again#1", twice));
        all.add(new SourcedObject("vmi#1", vmi("lab", "db-02")));
        all.add(new SourcedObject("vmi#2", vmi("lab", "gone")));
        // dependencies listed after the VMs that need them, and a second copy of one (the first wins)
        List<SourcedObject> reordered = new ArrayList<>(all);
        reordered.sort(java.util.Comparator.comparing(o -> o.kind().equals("VirtualMachine") ? 0 : 1));

        List<VmResult> whole = ExportBatch.run(reordered);
        List<VmResult> streamed = new ArrayList<>();
        ExportStream.index(parts(reordered)).forEach(streamed::add);

        assertThat(streamed).hasSize(whole.size());
        for (int i = 0; i < whole.size(); i++) {
            VmResult w = whole.get(i);
            VmResult s = streamed.get(i);
            assertThat(s.ref()).isEqualTo(w.ref());
            assertThat(s.status()).isEqualTo(w.status());
            assertThat(s.origin()).isEqualTo(w.origin());
            assertThat(s.details()).isEqualTo(w.details());
            assertThat(s.documents()).isEqualTo(w.documents());
        }
        assertThat(whole.stream().filter(r -> r.ok()).count()).isEqualTo(2);
        assertThat(whole.stream().filter(r -> !r.ok()).map(VmResult::origin))
                .contains("again#1", "vmi#2")
                .doesNotContain("vmi#1");
    }

    private static ObjectNode vmi(String ns, String name) {
        ObjectNode o = Json.object().put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachineInstance");
        o.putObject("metadata").put("namespace", ns).put("name", name);
        return o;
    }

    /** Every object a part of its own. */
    private static ObjectSource parts(List<SourcedObject> objects) {
        return new ObjectSource() {
            @Override
            public int parts() {
                return objects.size();
            }

            @Override
            public List<SourcedObject> read(int i) {
                return List.of(objects.get(i));
            }
        };
    }
}
