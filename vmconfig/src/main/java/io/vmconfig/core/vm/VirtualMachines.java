package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Recognises and validates KubeVirt VirtualMachine objects before any transform touches them. */
public final class VirtualMachines {
    public static final String KIND = "VirtualMachine";

    /** Served by the KubeVirt CRD: {@code v1} (storage version) and the deprecated {@code v1alpha3}. */
    public static final Set<String> API_VERSIONS = Set.of("kubevirt.io/v1", "kubevirt.io/v1alpha3");

    /** KubeVirt's admission webhook refuses more list entries than this (volumes, disks, interfaces, networks). */
    public static final int MAX_LIST_LENGTH = 256;

    private static final Pattern SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    private VirtualMachines() {}

    public static boolean isVirtualMachine(JsonNode node) {
        return node != null
                && node.isObject()
                && KIND.equals(node.path("kind").asText(null))
                && node.path("apiVersion").asText("").startsWith("kubevirt.io/");
    }

    public static VmRef ref(JsonNode vm) {
        return new VmRef(
                vm.path("metadata").path("namespace").asText(),
                vm.path("metadata").path("name").asText());
    }

    /** A name that is safe as a Kubernetes object name and as a file name. */
    public static boolean isValidName(String name) {
        return name != null
                && !name.isEmpty()
                && name.length() <= 253
                && SUBDOMAIN.matcher(name).matches();
    }

    public static boolean isValidNamespace(String ns) {
        return ns != null
                && !ns.isEmpty()
                && ns.length() <= 63
                && LABEL.matcher(ns).matches();
    }

    /**
     * Checks the parts of a VM that vmconfig reads and returns it as an object. {@code origin} says where it came
     * from (file and document); every error names it and the VM.
     */
    public static ObjectNode validate(JsonNode node, String origin) {
        if (node == null || !node.isObject()) {
            throw VmConfigException.invalid(origin + ": a VirtualMachine must be a JSON/YAML object");
        }
        String what = origin + ": VirtualMachine";
        String apiVersion = node.path("apiVersion").asText(null);
        if (!KIND.equals(node.path("kind").asText(null))) {
            throw VmConfigException.invalid(
                    what + ": kind is '" + node.path("kind").asText("") + "', not VirtualMachine");
        }
        JsonNode meta = node.get("metadata");
        if (meta == null || !meta.isObject()) {
            throw VmConfigException.invalid(what + ": metadata is missing or not an object");
        }
        String name = meta.path("name").isTextual() ? meta.get("name").asText() : null;
        if (name == null || name.isEmpty()) {
            throw VmConfigException.invalid(what + ": metadata.name is missing");
        }
        if (!isValidName(name)) {
            throw VmConfigException.invalid(what + " '" + name + "': metadata.name is not a valid Kubernetes name");
        }
        String ns = meta.path("namespace").isTextual() ? meta.get("namespace").asText() : null;
        if (ns == null || ns.isEmpty()) {
            throw VmConfigException.invalid(what + " '" + name + "': metadata.namespace is missing");
        }
        if (!isValidNamespace(ns)) {
            throw VmConfigException.invalid(what + " '" + name + "': metadata.namespace '" + ns + "' is not valid");
        }
        what = origin + ": VirtualMachine " + ns + "/" + name;
        if (apiVersion == null || !API_VERSIONS.contains(apiVersion)) {
            throw VmConfigException.invalid(what + ": unsupported apiVersion '" + apiVersion
                    + "' (accepted: kubevirt.io/v1, kubevirt.io/v1alpha3)");
        }
        checkStringMap(meta.get("labels"), what, "metadata.labels");
        checkStringMap(meta.get("annotations"), what, "metadata.annotations");
        JsonNode spec = node.get("spec");
        if (spec == null || !spec.isObject()) {
            throw VmConfigException.invalid(what + ": spec is missing or not an object");
        }
        if (spec.has("running")
                && !spec.get("running").isBoolean()
                && !spec.get("running").isNull()) {
            throw VmConfigException.invalid(what + ": spec.running must be true or false");
        }
        if (spec.has("runStrategy") && !spec.get("runStrategy").isTextual()) {
            throw VmConfigException.invalid(what + ": spec.runStrategy must be a string");
        }
        checkList(spec.get("dataVolumeTemplates"), what, "spec.dataVolumeTemplates");
        JsonNode template = spec.get("template");
        if (template == null || !template.isObject()) {
            throw VmConfigException.invalid(what + ": spec.template is missing or not an object");
        }
        JsonNode tspec = template.get("spec");
        if (tspec == null || !tspec.isObject()) {
            throw VmConfigException.invalid(what + ": spec.template.spec is missing or not an object");
        }
        checkNamedList(tspec.get("volumes"), what, "spec.template.spec.volumes");
        checkNamedList(tspec.get("networks"), what, "spec.template.spec.networks");
        checkList(tspec.get("accessCredentials"), what, "spec.template.spec.accessCredentials");
        JsonNode devices = tspec.path("domain").path("devices");
        if (devices.isObject()) {
            checkNamedList(devices.get("disks"), what, "spec.template.spec.domain.devices.disks");
            checkNamedList(devices.get("interfaces"), what, "spec.template.spec.domain.devices.interfaces");
        }
        return (ObjectNode) node;
    }

    private static void checkList(JsonNode list, String what, String field) {
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw VmConfigException.invalid(what + ": " + field + " must be a list");
        }
        if (list.size() > MAX_LIST_LENGTH) {
            throw VmConfigException.invalid(what + ": " + field + " has " + list.size()
                    + " entries; KubeVirt accepts at most " + MAX_LIST_LENGTH);
        }
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject()) {
                throw VmConfigException.invalid(what + ": " + field + "[" + i + "] must be an object");
            }
        }
    }

    private static void checkNamedList(JsonNode list, String what, String field) {
        checkList(list, what, field);
        if (list == null || list.isNull()) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i).get("name");
            if (n == null || !n.isTextual() || n.asText().isEmpty()) {
                throw VmConfigException.invalid(what + ": " + field + "[" + i + "] has no name");
            }
        }
    }

    private static void checkStringMap(JsonNode map, String what, String field) {
        if (map == null || map.isNull()) {
            return;
        }
        if (!map.isObject()) {
            throw VmConfigException.invalid(what + ": " + field + " must be a map");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw VmConfigException.invalid(what + ": " + field + " '" + e.getKey() + "' must be a string");
            }
        }
    }
}
