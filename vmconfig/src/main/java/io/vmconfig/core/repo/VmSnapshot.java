package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.vm.VmRef;
import java.util.Comparator;
import java.util.List;

/**
 * What a backup stores for one VM: the config-only VM and its dependency objects, with the identity fields the
 * set records (repository-format.md §5, §6). Built from the core filter's output by the caller.
 */
public record VmSnapshot(VmRef key, String uid, long generation, ObjectNode vm, List<ObjectNode> dependencies) {
    private static final Comparator<ObjectNode> DEPENDENCY_ORDER = Comparator.comparing(
                    (ObjectNode o) -> o.path("kind").asText())
            .thenComparing(o -> o.path("metadata").path("namespace").asText())
            .thenComparing(o -> o.path("metadata").path("name").asText());

    public VmSnapshot {
        dependencies = dependencies.stream().sorted(DEPENDENCY_ORDER).toList();
        uid = uid == null ? "" : uid;
    }

    /** True when a dependency is a Secret carrying data: the bundle is then encrypted (§5.2). */
    public boolean holdsSecretData() {
        return dependencies.stream()
                .anyMatch(d -> "Secret".equals(d.path("kind").asText()) && (d.has("data") || d.has("stringData")));
    }

    /** The bundle's canonical bytes: no capture time, so an unchanged VM gives the same bytes (§5.1). */
    public byte[] bundleBytes() {
        ObjectNode o = CanonicalJson.object();
        o.put("format", 1);
        o.set("vm", vm);
        o.putArray("dependencies").addAll(dependencies);
        return CanonicalJson.bytes(o);
    }
}
