package io.vmconfig.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.core.vm.VmRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The source record of a backed-up VM: its own uid, and for a vmconfig copy the uid it was copied from. */
class SourceRecordTest {
    static ConfigOnlyVm vm(String uid, String recordedSourceUid) {
        ObjectNode vm = Json.object();
        ObjectNode meta = vm.putObject("metadata").put("namespace", "apps").put("name", "web");
        if (recordedSourceUid != null) {
            meta.putObject("annotations").put(Annotations.SOURCE_UID, recordedSourceUid);
        }
        return new ConfigOnlyVm(new VmRef("apps", "web"), uid, 3, vm, List.of(), List.of());
    }

    private static String annotation(ObjectNode vm, String key) {
        return vm.path("metadata").path("annotations").path(key).asText(null);
    }

    @Test
    void aDrCopyBackedUpRecordsTheUidOfItsOriginalForFailbackToAdopt() {
        ObjectNode out = ExportBatch.withSourceRecord(vm("dr-uid", "prod-uid"), List.of());
        assertThat(annotation(out, Annotations.SOURCE_UID)).isEqualTo("dr-uid");
        assertThat(annotation(out, Annotations.ORIGIN_UID)).isEqualTo("prod-uid");
    }

    @Test
    void aVmThatIsNoCopyHasNoOrigin() {
        assertThat(annotation(ExportBatch.withSourceRecord(vm("prod-uid", null), List.of()), Annotations.ORIGIN_UID))
                .isNull();
        assertThat(annotation(
                        ExportBatch.withSourceRecord(vm("prod-uid", "prod-uid"), List.of()), Annotations.ORIGIN_UID))
                .isNull();
    }
}
