package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.Annotations;
import io.vmconfig.core.vm.VmRef;

/**
 * Who the VM inside a bundle is: namespace and name from its metadata, uid and generation from the source record the
 * export put in its annotations (repository-format.md §5.1). One home for reading it and for the rule that a bundle
 * must be what its entry says (§7 step 5, §11): a signed entry is trusted only together with this check.
 */
public record BundleIdentity(VmRef key, String uid, long generation) {

    /** The identity of the config-only VM {@code vm} (the bundle's {@code vm} member). */
    public static BundleIdentity of(JsonNode vm) {
        JsonNode meta = vm.path("metadata");
        JsonNode annotations = meta.path("annotations");
        return new BundleIdentity(
                new VmRef(meta.path("namespace").asText(""), meta.path("name").asText("")),
                annotations.path(Annotations.SOURCE_UID).asText(""),
                parse(annotations.path(Annotations.SOURCE_GENERATION).asText("0")));
    }

    /**
     * Checks that the bundle {@code bundle} holds the VM {@code key} with {@code uid} and {@code generation};
     * INTEGRITY naming {@code what} and the entry's VM (never the bundle's content beyond its identity) otherwise.
     */
    static void require(String what, VmRef key, String uid, long generation, JsonNode bundle) {
        requireVm(what, key, uid, generation, bundle.get("vm"));
    }

    /** The same check on the config-only VM itself, as a writer holds it before building the bundle. */
    static void requireVm(String what, VmRef key, String uid, long generation, JsonNode vm) {
        if (vm == null
                || !vm.isObject()
                || !"VirtualMachine".equals(vm.path("kind").asText())) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY, what + " of VM " + key + " holds no VirtualMachine");
        }
        BundleIdentity found = of(vm);
        if (!found.key().equals(key)) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    what + " is named for VM " + key + " but holds VM " + found.key());
        }
        if (!found.uid().equals(uid) || found.generation() != generation) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY,
                    what + " of VM " + key + " holds uid "
                            + found.uid() + " generation " + found.generation() + ", its entry says uid " + uid
                            + " generation " + generation);
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
