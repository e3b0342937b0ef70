package io.vmconfig.core.velero;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Maps an object's apiVersion and kind to the group and lower-case plural resource Velero expects. */
public final class ResourceNames {
    private static final Map<String, String> IRREGULAR = Map.of(
            "NetworkAttachmentDefinition", "network-attachment-definitions",
            "Endpoints", "endpoints");

    /** Resources vm-backup never returns as additional items: volumes and runtime objects. */
    private static final Set<String> NEVER_ADDITIONAL = Set.of(
            "/persistentvolumeclaims",
            "/persistentvolumes",
            "/pods",
            "cdi.kubevirt.io/datavolumes",
            "kubevirt.io/virtualmachineinstances");

    private ResourceNames() {}

    public static ResourceRef of(String apiVersion, String kind, String namespace, String name) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return new ResourceRef(group, plural(kind), namespace == null ? "" : namespace, name);
    }

    public static String plural(String kind) {
        String irregular = IRREGULAR.get(kind);
        if (irregular != null) {
            return irregular;
        }
        String lower = kind.toLowerCase(Locale.ROOT);
        if (lower.endsWith("s") || lower.endsWith("x") || lower.endsWith("ch") || lower.endsWith("sh")) {
            return lower + "es";
        }
        if (lower.endsWith("y") && lower.length() > 1 && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            return lower.substring(0, lower.length() - 1) + "ies";
        }
        return lower + "s";
    }

    /** False for PVCs, PVs, DataVolumes, VMIs and pods: config-only backups never carry them. */
    public static boolean isConfigDependency(ResourceRef ref) {
        return !NEVER_ADDITIONAL.contains(ref.group() + "/" + ref.resource());
    }
}
