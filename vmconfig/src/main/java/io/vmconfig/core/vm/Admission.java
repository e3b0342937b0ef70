package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.preflight.Reason;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admission pre-check: the rules KubeVirt's validating webhook applies to a stored VirtualMachine that need no
 * cluster state, and (given one) the CRD's structural schema. Pure: a VM in, every problem out, each with its reason
 * code and the path of the field. An empty list means KubeVirt would admit the VM as far as can be told without the
 * cluster. It runs on every input VM and on every DR result, in every path (docs/transforms.md lists the rules).
 */
public final class Admission {
    /** KubeVirt's run strategies (kubevirt-harvester.md §1.4). */
    public static final Set<String> RUN_STRATEGIES =
            Set.of("Always", "RerunOnFailure", "Manual", "Halted", "Once", "WaitAsReceiver");

    /** KubeVirt refuses more volumes (and disks, interfaces) than this. */
    public static final int MAX_ENTRIES = 256;

    /** The volume sources KubeVirt knows; a volume has exactly one. */
    static final Set<String> VOLUME_SOURCES = Set.of(
            "persistentVolumeClaim",
            "dataVolume",
            "ephemeral",
            "memoryDump",
            "hostDisk",
            "containerDisk",
            "emptyDisk",
            "cloudInitNoCloud",
            "cloudInitConfigDrive",
            "sysprep",
            "secret",
            "configMap",
            "serviceAccount",
            "downwardAPI",
            "downwardMetrics",
            "containerPath");

    private static final Pattern MAC = Pattern.compile("^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}$");

    private static final String TSPEC = "spec.template.spec";
    private static final String DEVICES = TSPEC + ".domain.devices";

    private Admission() {}

    /** The webhook rules only (no schema). */
    public static List<Problem> check(JsonNode vm) {
        return check(vm, Optional.empty());
    }

    /** The webhook rules and, when given, the CRD's structural schema ({@code openAPIV3Schema} of the served version). */
    public static List<Problem> check(JsonNode vm, Optional<StructuralSchema> schema) {
        List<Problem> out = new ArrayList<>();
        JsonNode spec = vm.path("spec");
        runStrategy(spec, out);
        JsonNode tspec = spec.path("template").path("spec");
        JsonNode devices = tspec.path("domain").path("devices");
        Map<String, Integer> volumes = names(tspec.path("volumes"), TSPEC + ".volumes", "volume", out);
        names(devices.path("disks"), DEVICES + ".disks", "disk", out);
        names(devices.path("filesystems"), DEVICES + ".filesystems", "filesystem", out);
        names(devices.path("interfaces"), DEVICES + ".interfaces", "interface", out);
        Map<String, Integer> networks = names(tspec.path("networks"), TSPEC + ".networks", "network", out);
        names(spec.path("dataVolumeTemplates"), "spec.dataVolumeTemplates", "dataVolumeTemplate", out);
        backedByVolumes(devices.path("disks"), DEVICES + ".disks", "disk", volumes, out);
        backedByVolumes(devices.path("filesystems"), DEVICES + ".filesystems", "filesystem", volumes, out);
        interfacesHaveNetworks(devices.path("interfaces"), networks, out);
        maxEntries(tspec.path("volumes"), TSPEC + ".volumes", out);
        maxEntries(devices.path("disks"), DEVICES + ".disks", out);
        maxEntries(devices.path("interfaces"), DEVICES + ".interfaces", out);
        Set<String> dataVolumeRefs = new HashSet<>();
        JsonNode vols = tspec.path("volumes");
        for (int i = 0; i < vols.size(); i++) {
            volume(vols.get(i), TSPEC + ".volumes[" + i + "]", dataVolumeRefs, out);
        }
        dataVolumeTemplatesReferenced(spec.path("dataVolumeTemplates"), dataVolumeRefs, out);
        macs(devices.path("interfaces"), out);
        bootOrders(devices, out);
        schema.ifPresent(s -> out.addAll(s.check(vm)));
        return out;
    }

    private static void runStrategy(JsonNode spec, List<Problem> out) {
        boolean running = spec.has("running") && !spec.get("running").isNull();
        boolean strategy = spec.has("runStrategy") && !spec.get("runStrategy").isNull();
        if (running && strategy) {
            out.add(new Problem(
                    Reason.RUNNING_AND_RUN_STRATEGY,
                    "spec.running",
                    "spec.running and spec.runStrategy are both set; KubeVirt accepts only one of them"));
        }
        if (strategy && !RUN_STRATEGIES.contains(spec.get("runStrategy").asText(""))) {
            out.add(new Problem(
                    Reason.INVALID_RUN_STRATEGY,
                    "spec.runStrategy",
                    "run strategy '" + spec.get("runStrategy").asText("") + "' is not one of "
                            + new java.util.TreeSet<>(RUN_STRATEGIES)));
        }
    }

    /** Name → first index; a repeated name is a problem. Entries without a string name are left to the schema. */
    private static Map<String, Integer> names(JsonNode list, String path, String what, List<Problem> out) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = "dataVolumeTemplate".equals(what)
                    ? list.get(i).path("metadata").path("name")
                    : list.get(i).path("name");
            if (!n.isTextual()) {
                continue;
            }
            Integer first = seen.putIfAbsent(n.asText(), i);
            if (first != null) {
                out.add(new Problem(
                        Reason.DUPLICATE_NAME,
                        path + "[" + i + "]",
                        what + " name '" + n.asText() + "' is already used by " + path + "[" + first + "]"));
            }
        }
        return seen;
    }

    private static void backedByVolumes(
            JsonNode list, String path, String what, Map<String, Integer> volumes, List<Problem> out) {
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).path("name").asText(null);
            if (name != null && !volumes.containsKey(name)) {
                out.add(new Problem(
                        Reason.MISSING_VOLUME,
                        path + "[" + i + "]",
                        what + " '" + name + "' has no volume of that name"));
            }
        }
    }

    private static void interfacesHaveNetworks(JsonNode ifaces, Map<String, Integer> networks, List<Problem> out) {
        for (int i = 0; i < ifaces.size(); i++) {
            String name = ifaces.get(i).path("name").asText(null);
            if (name != null && !networks.containsKey(name)) {
                out.add(new Problem(
                        Reason.MISSING_VOLUME,
                        DEVICES + ".interfaces[" + i + "]",
                        "interface '" + name + "' has no network of that name"));
            }
        }
    }

    private static void maxEntries(JsonNode list, String path, List<Problem> out) {
        if (list.isArray() && list.size() > MAX_ENTRIES) {
            out.add(new Problem(
                    Reason.TOO_MANY_ENTRIES, path, list.size() + " entries; KubeVirt accepts at most " + MAX_ENTRIES));
        }
    }

    private static void volume(JsonNode v, String path, Set<String> dataVolumeRefs, List<Problem> out) {
        List<String> sources = new ArrayList<>();
        boolean other = false;
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (VOLUME_SOURCES.contains(f)) {
                sources.add(f);
            } else if (!f.equals("name")) {
                other = true; // a source newer than the KubeVirt we know: configuration, kept
            }
        }
        if (sources.size() > 1) {
            out.add(new Problem(
                    Reason.VOLUME_SOURCE_COUNT,
                    path,
                    "volume '" + v.path("name").asText() + "' has more than one source " + sources
                            + "; KubeVirt accepts exactly one"));
        } else if (sources.isEmpty() && !other) {
            out.add(new Problem(
                    Reason.VOLUME_SOURCE_COUNT,
                    path,
                    "volume '" + v.path("name").asText() + "' has no source; KubeVirt accepts exactly one"));
        }
        claimRef(v, "persistentVolumeClaim", "claimName", path, out);
        claimRef(v.path("ephemeral"), "persistentVolumeClaim", "claimName", path + ".ephemeral", out);
        if (v.path("memoryDump").isObject()) {
            requireName(v.get("memoryDump").get("claimName"), path + ".memoryDump.claimName", out);
        }
        if (v.has("dataVolume")) {
            if (requireName(v.get("dataVolume").get("name"), path + ".dataVolume.name", out)) {
                dataVolumeRefs.add(v.get("dataVolume").get("name").asText());
            }
        }
        cloudInit(v.path("cloudInitNoCloud"), path + ".cloudInitNoCloud", out);
        cloudInit(v.path("cloudInitConfigDrive"), path + ".cloudInitConfigDrive", out);
    }

    private static void claimRef(JsonNode holder, String field, String nameField, String path, List<Problem> out) {
        if (holder.has(field)) {
            requireName(holder.get(field).get(nameField), path + "." + field + "." + nameField, out);
        }
    }

    private static boolean requireName(JsonNode n, String path, List<Problem> out) {
        if (n == null || n.isNull()) {
            out.add(new Problem(Reason.INVALID_CLAIM_REFERENCE, path, "is missing"));
            return false;
        }
        if (!n.isTextual()) {
            out.add(new Problem(
                    Reason.INVALID_CLAIM_REFERENCE,
                    path,
                    "is " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + n
                            + ", not a string (quote it in YAML)"));
            return false;
        }
        if (n.asText().isEmpty()) {
            out.add(new Problem(Reason.INVALID_CLAIM_REFERENCE, path, "is empty"));
            return false;
        }
        return true;
    }

    private static void cloudInit(JsonNode ci, String path, List<Problem> out) {
        if (!ci.isObject()) {
            return;
        }
        int user = count(ci, "userData", "userDataBase64", "secretRef");
        int network = count(ci, "networkData", "networkDataBase64", "networkDataSecretRef");
        if (user > 1) {
            out.add(new Problem(
                    Reason.CLOUD_INIT_SOURCE_COUNT, path, "more than one of userData, userDataBase64," + " secretRef"));
        }
        if (network > 1) {
            out.add(new Problem(
                    Reason.CLOUD_INIT_SOURCE_COUNT,
                    path,
                    "more than one of networkData," + " networkDataBase64, networkDataSecretRef"));
        }
        if (user == 0 && network == 0) {
            out.add(new Problem(Reason.CLOUD_INIT_SOURCE_COUNT, path, "no user data and no network data source"));
        }
        base64(ci.get("userDataBase64"), path + ".userDataBase64", out);
        base64(ci.get("networkDataBase64"), path + ".networkDataBase64", out);
    }

    private static int count(JsonNode o, String... fields) {
        int n = 0;
        for (String f : fields) {
            if (o.has(f) && !o.get(f).isNull()) {
                n++;
            }
        }
        return n;
    }

    private static void base64(JsonNode n, String path, List<Problem> out) {
        if (n == null || !n.isTextual()) {
            return;
        }
        try {
            Base64.getDecoder().decode(n.asText().replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            out.add(new Problem(Reason.INVALID_BASE64, path, "is not valid base64"));
        }
    }

    private static void macs(JsonNode ifaces, List<Problem> out) {
        for (int i = 0; i < ifaces.size(); i++) {
            JsonNode mac = ifaces.get(i).get("macAddress");
            if (mac == null || mac.isNull() || (mac.isTextual() && mac.asText().isEmpty())) {
                continue;
            }
            if (!mac.isTextual() || !MAC.matcher(mac.asText()).matches()) {
                out.add(new Problem(
                        Reason.INVALID_MAC,
                        DEVICES + ".interfaces[" + i + "].macAddress",
                        "'" + mac.asText() + "' is not a MAC address of 6 bytes (aa:bb:cc:dd:ee:ff)"));
            }
        }
    }

    private static void dataVolumeTemplatesReferenced(JsonNode dvts, Set<String> refs, List<Problem> out) {
        for (int i = 0; i < dvts.size(); i++) {
            JsonNode n = dvts.get(i).path("metadata").path("name");
            String path = "spec.dataVolumeTemplates[" + i + "]";
            if (!n.isTextual() || n.asText().isEmpty()) {
                out.add(new Problem(Reason.UNUSED_DATA_VOLUME_TEMPLATE, path + ".metadata.name", "is missing"));
            } else if (!refs.contains(n.asText())) {
                out.add(new Problem(
                        Reason.UNUSED_DATA_VOLUME_TEMPLATE,
                        path,
                        "dataVolumeTemplate '" + n.asText() + "' is referenced by no dataVolume volume"));
            }
        }
    }

    private static void bootOrders(JsonNode devices, List<Problem> out) {
        Map<Long, String> seen = new HashMap<>();
        for (String list : new String[] {"disks", "interfaces"}) {
            JsonNode l = devices.path(list);
            for (int i = 0; i < l.size(); i++) {
                JsonNode b = l.get(i).get("bootOrder");
                if (b == null || b.isNull()) {
                    continue;
                }
                String path = DEVICES + "." + list + "[" + i + "].bootOrder";
                if (!b.canConvertToLong() || !b.isIntegralNumber() || b.asLong() < 1) {
                    out.add(new Problem(
                            Reason.INVALID_BOOT_ORDER, path, "boot order " + b + " must be an integer >= 1"));
                    continue;
                }
                String first = seen.putIfAbsent(b.asLong(), path);
                if (first != null) {
                    out.add(new Problem(
                            Reason.INVALID_BOOT_ORDER, path, "boot order " + b + " is already used by " + first));
                }
            }
        }
    }
}
