package io.vmconfig.core.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.vm.Dependencies;
import io.vmconfig.core.vm.DependencyRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A backup never leaves out a Secret silently: a VM that uses Secrets in a namespace where the caller may not list
 * them is refused, naming the permission, unless the operator said {@code --without-secrets}; then it is backed up
 * without them and its stored definition records which ({@value #OMITTED}), so that a restore can tell.
 */
public final class UnreadableSecrets {
    public static final String OMITTED = "vmconfig.io/secrets-omitted";
    /** The reason code of a VM refused for it. */
    public static final String CODE = "SECRETS_UNREADABLE";

    private UnreadableSecrets() {}

    /** {@code exported}'s results, each VM using a Secret of an {@code unreadable} namespace refused or marked. */
    public static List<VmResult> apply(List<VmResult> exported, Set<String> unreadable, boolean withoutSecrets) {
        if (unreadable.isEmpty()) {
            return exported;
        }
        return exported.stream().map(r -> apply(r, unreadable, withoutSecrets)).toList();
    }

    /** One exported VM's result, refused or marked when it uses a Secret of an {@code unreadable} namespace. */
    public static VmResult apply(VmResult r, Set<String> unreadable, boolean withoutSecrets) {
        {
            List<String> secrets = !r.ok() || r.documents().isEmpty()
                    ? List.of()
                    : Dependencies.of(r.documents().get(0)).stream()
                            .filter(d -> DependencyRef.SECRET.equals(d.kind()) && unreadable.contains(d.namespace()))
                            .map(DependencyRef::name)
                            .distinct()
                            .sorted()
                            .toList();
            if (secrets.isEmpty()) {
                return r;
            }
            String ns = r.documents().get(0).path("metadata").path("namespace").asText();
            Permission list = new Permission("list", "", "secrets", ns);
            List<String> details = new ArrayList<>(r.details().stream()
                    .filter(d -> secrets.stream().noneMatch(s -> d.contains("Secret " + ns + "/" + s + " ")))
                    .toList());
            if (withoutSecrets) {
                ObjectNode vm = r.documents().get(0).deepCopy();
                Json.ensureObject(vm, "metadata", "annotations").put(OMITTED, String.join(",", secrets));
                List<ObjectNode> docs = new ArrayList<>(r.documents());
                docs.set(0, vm);
                details.add("warning: Secret(s) " + String.join(", ", secrets) + " left out (--without-secrets; the"
                        + " caller may not " + list + "), recorded in " + OMITTED);
                return new VmResult(r.ref(), r.target(), r.status(), r.origin(), docs, details, r.codes());
            } else {
                details.add(
                        0,
                        "refused: it uses Secret(s) " + String.join(", ", secrets) + " and the caller may not "
                                + list + " (" + list.canI() + "); not backed up, never without them silently"
                                + " (--without-secrets backs it up without its Secrets)");
                return new VmResult(
                        r.ref(), r.target(), VmResult.Status.REFUSED, r.origin(), List.of(), details, List.of(CODE));
            }
        }
    }
}
