package io.vmconfig.adapters.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmconfig.core.VmConfigException;
import java.util.List;
import java.util.Locale;

/**
 * A resource kind as vmconfig reads and writes it: group, version, plural and scope given, so that no API discovery
 * request is needed (and the mock API server needs none).
 */
public record KubeKind(String group, String version, String kind, String plural, boolean namespaced) {
    public static final KubeKind VM = new KubeKind("kubevirt.io", "v1", "VirtualMachine", "virtualmachines", true);
    public static final KubeKind VMI =
            new KubeKind("kubevirt.io", "v1", "VirtualMachineInstance", "virtualmachineinstances", true);
    public static final KubeKind PVC = new KubeKind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true);
    public static final KubeKind SECRET = new KubeKind("", "v1", "Secret", "secrets", true);
    public static final KubeKind CONFIG_MAP = new KubeKind("", "v1", "ConfigMap", "configmaps", true);
    public static final KubeKind SERVICE_ACCOUNT = new KubeKind("", "v1", "ServiceAccount", "serviceaccounts", true);
    public static final KubeKind NAMESPACE = new KubeKind("", "v1", "Namespace", "namespaces", false);
    public static final KubeKind CONTROLLER_REVISION =
            new KubeKind("apps", "v1", "ControllerRevision", "controllerrevisions", true);
    public static final KubeKind NAD = new KubeKind(
            "k8s.cni.cncf.io", "v1", "NetworkAttachmentDefinition", "network-attachment-definitions", true);
    public static final KubeKind STORAGE_CLASS =
            new KubeKind("storage.k8s.io", "v1", "StorageClass", "storageclasses", false);
    public static final KubeKind INSTANCETYPE = new KubeKind(
            "instancetype.kubevirt.io", "v1beta1", "VirtualMachineInstancetype", "virtualmachineinstancetypes", true);
    public static final KubeKind PREFERENCE = new KubeKind(
            "instancetype.kubevirt.io", "v1beta1", "VirtualMachinePreference", "virtualmachinepreferences", true);
    public static final KubeKind CLUSTER_INSTANCETYPE = new KubeKind(
            "instancetype.kubevirt.io",
            "v1beta1",
            "VirtualMachineClusterInstancetype",
            "virtualmachineclusterinstancetypes",
            false);
    public static final KubeKind CLUSTER_PREFERENCE = new KubeKind(
            "instancetype.kubevirt.io",
            "v1beta1",
            "VirtualMachineClusterPreference",
            "virtualmachineclusterpreferences",
            false);

    /** The sync controller's Lease (written by fabric8's leader elector, read by tests and the drill). */
    public static final KubeKind VM_TEMPLATE =
            new KubeKind("harvesterhci.io", "v1beta1", "VirtualMachineTemplate", "virtualmachinetemplates", true);

    public static final KubeKind VM_TEMPLATE_VERSION = new KubeKind(
            "harvesterhci.io", "v1beta1", "VirtualMachineTemplateVersion", "virtualmachinetemplateversions", true);
    /** The DR cluster's CRDs: the VirtualMachine schema it serves is what its API server prunes and checks by. */
    public static final KubeKind CRD =
            new KubeKind("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false);

    public static final KubeKind LEASE = new KubeKind("coordination.k8s.io", "v1", "Lease", "leases", true);

    /** vmconfig's own kinds (deploy/crds): the VolumeMap, and the sync controller's desired state and status. */
    public static final KubeKind VOLUME_MAP = new KubeKind("vmconfig.io", "v1", "VolumeMap", "volumemaps", true);

    public static final KubeKind CONFIG_SYNC = new KubeKind("vmconfig.io", "v1", "ConfigSync", "configsyncs", true);

    /** A tenant's request to restore VMs into its own namespace, and the cluster-scoped grants that allow them. */
    public static final KubeKind CONFIG_RESTORE =
            new KubeKind("vmconfig.io", "v1", "ConfigRestore", "configrestores", true);

    public static final KubeKind REPOSITORY_GRANT =
            new KubeKind("vmconfig.io", "v1", "RepositoryGrant", "repositorygrants", false);

    /** Events the sync controller records on DR (core/v1, which `kubectl describe` shows). */
    public static final KubeKind EVENT = new KubeKind("", "v1", "Event", "events", true);

    /** What a backup reads: the VMs and everything a config-only VM can depend on (as `kubectl get` for export). */
    public static final List<KubeKind> SOURCE_DEPENDENCIES =
            List.of(SECRET, CONFIG_MAP, SERVICE_ACCOUNT, CONTROLLER_REVISION, PVC, INSTANCETYPE, PREFERENCE);

    private static final List<KubeKind> KNOWN = List.of(
            VM,
            VMI,
            PVC,
            SECRET,
            CONFIG_MAP,
            SERVICE_ACCOUNT,
            NAMESPACE,
            CONTROLLER_REVISION,
            NAD,
            STORAGE_CLASS,
            INSTANCETYPE,
            PREFERENCE,
            CLUSTER_INSTANCETYPE,
            CLUSTER_PREFERENCE,
            VM_TEMPLATE,
            VM_TEMPLATE_VERSION,
            VOLUME_MAP,
            CONFIG_SYNC,
            CONFIG_RESTORE,
            REPOSITORY_GRANT);

    /** Every kind vmconfig reads or writes. */
    public static List<KubeKind> known() {
        return KNOWN;
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(namespaced)
                .build();
    }

    /** The kind of an object to write; the group decides, any version of a known kind is served at its own. */
    public static KubeKind of(String apiVersion, String kind) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        for (KubeKind k : KNOWN) {
            if (k.kind.equals(kind) && k.group.equals(group)) {
                return k.version.equals(version) ? k : new KubeKind(group, version, kind, k.plural, k.namespaced);
            }
        }
        throw new VmConfigException(
                VmConfigException.Kind.INVALID_INPUT,
                "kind " + apiVersion + " " + kind + " is not one vmconfig writes (" + kind.toLowerCase(Locale.ROOT)
                        + ")");
    }
}
