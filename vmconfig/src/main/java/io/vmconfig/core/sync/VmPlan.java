package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.Entry;
import io.vmconfig.core.repo.JsonDiff;
import io.vmconfig.core.vm.VmRef;
import java.util.List;
import java.util.Optional;

/**
 * The decision for one VM. {@code documents} are what to write, dependencies first and the VM last (empty unless the
 * action writes); {@code diff} is desired against current desired-state fields (for UPDATE); {@code reasons} say why
 * a VM is blocked or skipped, every one of them; {@code codes} the same as reason codes ({@link ReasonCodes}, or the
 * pre-flight's {@code Reason} names) for metrics, events and exit codes. {@code heads} name each document (its
 * apiVersion, kind, namespace and name, in the same order): what the permission pre-flight reads, kept when a
 * streamed pass drops the documents ({@link #withoutDocuments}) and writes them from a second read of the set.
 */
public record VmPlan(
        VmRef source,
        VmRef target,
        SyncAction action,
        List<String> reasons,
        List<JsonDiff.Change> diff,
        List<ObjectNode> documents,
        Optional<Entry> entry,
        List<String> codes,
        List<ObjectNode> heads) {
    public VmPlan {
        reasons = List.copyOf(reasons);
        diff = List.copyOf(diff);
        documents = List.copyOf(documents);
        codes = List.copyOf(codes);
        heads = List.copyOf(heads);
    }

    public VmPlan(
            VmRef source,
            VmRef target,
            SyncAction action,
            List<String> reasons,
            List<JsonDiff.Change> diff,
            List<ObjectNode> documents,
            Optional<Entry> entry,
            List<String> codes) {
        this(source, target, action, reasons, diff, documents, entry, codes, heads(documents));
    }

    public VmPlan(
            VmRef source,
            VmRef target,
            SyncAction action,
            List<String> reasons,
            List<JsonDiff.Change> diff,
            List<ObjectNode> documents,
            Optional<Entry> entry) {
        this(source, target, action, reasons, diff, documents, entry, List.of());
    }

    public String name() {
        return (target != null ? target : source).toString();
    }

    /** The same decision without its documents (their heads stay): what a streamed pass keeps of each VM. */
    public VmPlan withoutDocuments() {
        return new VmPlan(source, target, action, reasons, diff, List.of(), entry, codes, heads);
    }

    /** Whether this plan writes objects it no longer carries (a streamed plan): only a second read can apply it. */
    public boolean documentsDropped() {
        return documents.isEmpty() && !heads.isEmpty();
    }

    private static List<ObjectNode> heads(List<ObjectNode> documents) {
        return documents.stream()
                .map(d -> {
                    ObjectNode h = Json.object();
                    h.set("apiVersion", d.path("apiVersion").deepCopy());
                    h.set("kind", d.path("kind").deepCopy());
                    ObjectNode meta = Json.ensureObject(h, "metadata");
                    meta.set("name", d.path("metadata").path("name").deepCopy());
                    if (d.path("metadata").has("namespace")) {
                        meta.set(
                                "namespace",
                                d.path("metadata").path("namespace").deepCopy());
                    }
                    return h;
                })
                .toList();
    }
}
