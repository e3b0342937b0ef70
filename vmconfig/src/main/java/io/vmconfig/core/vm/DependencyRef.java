package io.vmconfig.core.vm;

import java.util.Comparator;
import java.util.Set;

/**
 * An object a VM needs besides its disks. {@code namespace} is null for cluster-scoped objects. Objects that are
 * {@link #carried() carried} travel with the VM's definition; the others (cluster instancetypes, NADs) must exist on
 * DR and are checked by the pre-flight.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record DependencyRef(String apiVersion, String kind, String namespace, String name)
        implements Comparable<DependencyRef> {
    public static final String SECRET = "Secret";
    public static final String CONFIG_MAP = "ConfigMap";
    public static final String SERVICE_ACCOUNT = "ServiceAccount";
    public static final String CONTROLLER_REVISION = "ControllerRevision";
    public static final String NAD = "NetworkAttachmentDefinition";
    public static final String INSTANCETYPE = "VirtualMachineInstancetype";
    public static final String CLUSTER_INSTANCETYPE = "VirtualMachineClusterInstancetype";
    public static final String PREFERENCE = "VirtualMachinePreference";
    public static final String CLUSTER_PREFERENCE = "VirtualMachineClusterPreference";

    private static final Set<String> CARRIED =
            Set.of(SECRET, CONFIG_MAP, SERVICE_ACCOUNT, CONTROLLER_REVISION, INSTANCETYPE, PREFERENCE);

    private static final Comparator<DependencyRef> ORDER = Comparator.comparing(DependencyRef::kind)
            .thenComparing(d -> d.namespace() == null ? "" : d.namespace())
            .thenComparing(DependencyRef::name);

    /** Whether the object is part of the VM's configuration (copied) rather than DR infrastructure (checked). */
    public boolean carried() {
        return carried(kind);
    }

    /** Whether objects of {@code kind} travel with a VM's definition. */
    public static boolean carried(String kind) {
        return CARRIED.contains(kind);
    }

    /** Whether {@code object} is this dependency (kind, namespace and name match). */
    public boolean matches(String objKind, String objNamespace, String objName) {
        return kind.equals(objKind) && name.equals(objName) && (namespace == null || namespace.equals(objNamespace));
    }

    @Override
    public int compareTo(DependencyRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name;
    }
}
