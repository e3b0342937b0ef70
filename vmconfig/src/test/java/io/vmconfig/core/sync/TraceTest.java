package io.vmconfig.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.vm.Annotations;
import org.junit.jupiter.api.Test;

/** The trace of the new direction replaces the other site's: nothing site-local travels. */
class TraceTest {
    @Test
    void aCopyBackedUpFromAnActivatedDrSiteArrivesWithTheNewTraceAndWithoutDrsMarks() {
        Entry e = SyncPlannerTest.entry(SyncPlannerTest.B2, 4, "2026-01-02T00:00:00Z");
        ObjectNode fromDr = SyncPlannerTest.written(
                SyncPlannerTest.entry(SyncPlannerTest.B1, 3, "2026-01-01T00:00:00Z"),
                2); // DR's trace: prod, set-0, revision 3
        fromDr.withObjectProperty("metadata")
                .withObjectProperty("annotations")
                .put(Annotations.ACTIVATED_AT, "2026-01-03T00:00:00Z")
                .put(Annotations.ORIGINAL_RUN_STRATEGY, "Always")
                .put(io.vmconfig.core.access.Audit.APPLIED_BY, "dr-admin")
                .put(io.vmconfig.core.access.Audit.APPLIED_AT, "2026-01-03T00:00:00Z");
        String drHash = Trace.desiredHash(fromDr);

        ObjectNode onProd = Trace.stamp(fromDr, Trace.of("dr", "set-7", e));
        ObjectNode a = onProd.withObjectProperty("metadata").withObjectProperty("annotations");
        assertThat(a.has(Annotations.ACTIVATED_AT)).isFalse();
        assertThat(a.has(io.vmconfig.core.access.Audit.APPLIED_BY))
                .as("DR's audit stamp")
                .isFalse();
        assertThat(a.has(io.vmconfig.core.access.Audit.APPLIED_AT)).isFalse();
        assertThat(a.path(Annotations.SOURCE_CLUSTER).asText()).isEqualTo("dr");
        assertThat(a.path(Annotations.SET_ID).asText()).isEqualTo("set-7");
        assertThat(a.path(Annotations.REVISION).asText()).isEqualTo("4");
        assertThat(a.path(Annotations.BUNDLE).asText()).isEqualTo(e.bundle().hex());
        assertThat(Trace.desiredHash(onProd)).isNotEqualTo(drHash).isEqualTo(Trace.hash(onProd));
        assertThat(a.path(Annotations.ORIGINAL_RUN_STRATEGY).asText())
                .as("recorded at backup: travels")
                .isEqualTo("Always");
        assertThat(fromDr.path("metadata").path("annotations").has(Annotations.ACTIVATED_AT))
                .as("copy-on-write")
                .isTrue();
    }
}
