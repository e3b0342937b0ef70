package io.vmconfig.adapters.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.DrReader;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API server refuses what KubeVirt and the API server would, and serves the CRD schema it checks by. */
class StrictApiServerTest {
    @TempDir
    Path tmp;

    @Test
    void aVmKubeVirtsWebhookWouldRefuseIsRefusedWithEveryReason() {
        try (EmbeddedKube k = EmbeddedKube.start("strict", tmp)) {
            ObjectNode vm = Fixtures.vm("plain-pvc.yaml");
            ((ObjectNode) vm.get("spec")).put("running", true);
            assertThatThrownBy(() -> k.create(vm))
                    .isInstanceOf(VmConfigException.class)
                    .hasMessageContaining("422")
                    .rootCause()
                    .hasMessageContaining("RUNNING_AND_RUN_STRATEGY at spec.running");
            assertThat(k.cluster.get(KubeKind.VM, "lab", "app-03")).isEmpty();
        }
    }

    @Test
    void aFieldTheServedSchemaDoesNotKnowIsRefusedNotPruned() {
        try (EmbeddedKube k = EmbeddedKube.start("strict", tmp)) {
            ObjectNode vm = Fixtures.vm("plain-pvc.yaml");
            ((ObjectNode) vm.at("/spec/template/spec/domain"))
                    .putObject("futureField")
                    .put("on", true);
            assertThatThrownBy(() -> k.create(vm))
                    .isInstanceOf(VmConfigException.class)
                    .hasMessageContaining("422")
                    .rootCause()
                    .hasMessageContaining("SCHEMA_UNKNOWN_FIELD at spec.template.spec.domain.futureField");
            ObjectNode ok = Fixtures.vm("plain-pvc.yaml");
            k.create(ok);
            assertThat(k.cluster.get(KubeKind.VM, "lab", "app-03")).isPresent();
        }
    }

    @Test
    void theDrReaderReadsTheServedSchema() {
        try (EmbeddedKube k = EmbeddedKube.start("strict", tmp)) {
            DrReader reader = new DrReader(k.cluster, null);
            assertThat(reader.inventory(reader.vms()).vmSchema()).isPresent();
        }
    }

    @Test
    void importBlocksAVmTheDrSchemaWouldPruneAndWritesNothingOfIt() throws IOException {
        try (EmbeddedKube k = EmbeddedKube.start("strict", tmp)) {
            ObjectNode vm = Fixtures.vm("plain-pvc.yaml");
            ((ObjectNode) vm.at("/spec/template/spec/domain"))
                    .putObject("futureField")
                    .put("on", true);
            Path in = Files.createDirectories(tmp.resolve("in"));
            Files.writeString(
                    in.resolve("vm.yaml"),
                    Yaml.write(vm)
                            + Yaml.write(Fixtures.objects("plain-pvc.yaml").stream()
                                    .filter(o -> o.kind().equals("PersistentVolumeClaim"))
                                    .findFirst()
                                    .orElseThrow()
                                    .object()));
            Cli.Result r = Cli.run(
                    "import",
                    "--from",
                    in.toString(),
                    "--copy",
                    "--kubeconfig",
                    k.kubeconfig.toString(),
                    "--context",
                    k.name);
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.out()).contains("SCHEMA_UNKNOWN_FIELD at spec.template.spec.domain.futureField");
            assertThat(k.cluster.get(KubeKind.VM, "lab", "app-03")).isEmpty();
            assertThat(k.cluster.list(KubeKind.PVC, "lab", null)).isEmpty();
        }
    }
}
