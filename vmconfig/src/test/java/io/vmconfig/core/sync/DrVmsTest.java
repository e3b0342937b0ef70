package io.vmconfig.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.VmRef;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact DR VMs a pass keeps: what sync decides by survives, the rest is dropped, nothing is shared. */
class DrVmsTest {
    static ObjectNode vm(String ns, String name, Random random) {
        ObjectNode vm = (ObjectNode) Json.parse("""
                {"apiVersion":"kubevirt.io/v1","kind":"VirtualMachine",
                 "metadata":{"namespace":"NS","name":"NAME","uid":"u-1","generation":3,
                   "labels":{"vmconfig.io/managed":"true","app":"web"},
                   "annotations":{"vmconfig.io/desired-hash":"abc","vmconfig.io/activated-at":"2026-01-01T00:00:00Z",
                     "kubectl.kubernetes.io/last-applied-configuration":"{\\"huge\\":true}"},
                   "managedFields":[{"manager":"kubectl"}]},
                 "spec":{"runStrategy":"Halted","template":{"spec":{"domain":{"cpu":{"cores":4}}}}},
                 "status":{"printableStatus":"Stopped","conditions":[{"type":"Ready"}],"volumeSnapshotStatuses":[]}}
                """.replace("NS", ns).replace("NAME", name), "vm");
        ((ObjectNode) vm.at("/spec/template/spec/domain/cpu")).put("sockets", random.nextInt(8) + 1);
        return vm;
    }

    @Test
    void keepsWhatSyncDecidesByAndDropsTheRest() {
        ObjectNode in = vm("prod", "web-01", new Random(7));
        DrVms vms = new DrVms.Builder()
                .add(in)
                .instance(new VmRef("prod", "web-01"))
                .build();
        DrVm d = vms.get(new VmRef("prod", "web-01"));
        assertThat(d.instanceExists()).isTrue();
        assertThat(d.running()).as("a VMI exists").isTrue();
        assertThat(d.managed()).isTrue();
        assertThat(d.activated()).isTrue();
        assertThat(d.vm().path("spec")).isEqualTo(in.path("spec"));
        assertThat(d.vm().at("/metadata/labels")).isEqualTo(in.at("/metadata/labels"));
        assertThat(d.vm().at("/metadata/uid").asText()).isEqualTo("u-1");
        assertThat(d.vm().at("/status/printableStatus").asText()).isEqualTo("Stopped");
        assertThat(d.vm().path("status").size()).isEqualTo(1);
        assertThat(d.vm().path("metadata").has("managedFields")).isFalse();
        assertThat(d.vm().at("/metadata/annotations").has("kubectl.kubernetes.io/last-applied-configuration"))
                .isFalse();
        assertThat(d.vm().at("/metadata/annotations/vmconfig.io~1desired-hash").asText())
                .isEqualTo("abc");
        // a lookup hands out a fresh tree: changing it changes nothing kept
        ((ObjectNode) d.vm().path("spec")).put("runStrategy", "Always");
        assertThat(vms.get(new VmRef("prod", "web-01"))
                        .vm()
                        .at("/spec/runStrategy")
                        .asText())
                .isEqualTo("Halted");
        assertThat(in.path("status").has("conditions"))
                .as("the VM given is not changed")
                .isTrue();
    }

    @Test
    void iteratesEveryVmWithItsInstanceFlagAsAMapWould() {
        Random random = new Random(42);
        DrVms.Builder b = new DrVms.Builder();
        for (int i = 0; i < 300; i++) {
            b.add(vm("ns-" + (i % 7), "vm-" + i, random));
            if (i % 3 == 0) {
                b.instance(new VmRef("ns-" + (i % 7), "vm-" + i));
            }
        }
        DrVms vms = b.build();
        assertThat(vms).hasSize(300);
        assertThat(vms.containsKey(new VmRef("ns-1", "vm-1"))).isTrue();
        assertThat(vms.get(new VmRef("ns-1", "vm-2"))).isNull();
        int running = 0;
        for (Map.Entry<VmRef, DrVm> e : vms.entrySet()) {
            assertThat(e.getValue().ref()).isEqualTo(e.getKey());
            running += e.getValue().instanceExists() ? 1 : 0;
        }
        assertThat(running).isEqualTo(100);
        DrState state = new DrState(vms, false);
        assertThat(state.vms()).as("kept as it is, not copied into trees").isSameAs(vms);
        assertThat(state.vm(new VmRef("ns-0", "vm-0"))).isPresent();
        assertThat(vms.packedBytes()).as("well under the trees' size").isLessThan(300L * 600);
        assertThat(List.copyOf(vms.values())).hasSize(300);
    }
}
