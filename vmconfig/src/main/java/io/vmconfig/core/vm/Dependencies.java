package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Computes a VM's config dependencies from the VM alone (kubevirt-harvester.md §1.3, §1.8, §6 Keep 4 and 7). */
public final class Dependencies {
    static final String CORE = "v1";
    static final String APPS = "apps/v1";
    static final String INSTANCETYPES = "instancetype.kubevirt.io/v1beta1";
    static final String MULTUS = "k8s.cni.cncf.io/v1";

    private Dependencies() {}

    public static List<DependencyRef> of(ObjectNode vm) {
        String ns = vm.path("metadata").path("namespace").asText();
        Set<DependencyRef> deps = new TreeSet<>();
        JsonNode tspec = vm.path("spec").path("template").path("spec");
        for (JsonNode v : tspec.path("volumes")) {
            for (String src : new String[] {"cloudInitNoCloud", "cloudInitConfigDrive"}) {
                secret(deps, ns, v.path(src).path("secretRef").path("name"));
                secret(deps, ns, v.path(src).path("networkDataSecretRef").path("name"));
            }
            secret(deps, ns, v.path("sysprep").path("secret").path("name"));
            add(
                    deps,
                    CORE,
                    DependencyRef.CONFIG_MAP,
                    ns,
                    v.path("sysprep").path("configMap").path("name"));
            secret(deps, ns, v.path("secret").path("secretName"));
            add(deps, CORE, DependencyRef.CONFIG_MAP, ns, v.path("configMap").path("name"));
            add(
                    deps,
                    CORE,
                    DependencyRef.SERVICE_ACCOUNT,
                    ns,
                    v.path("serviceAccount").path("serviceAccountName"));
            secret(deps, ns, v.path("containerDisk").path("imagePullSecret"));
        }
        for (JsonNode c : tspec.path("accessCredentials")) {
            secret(
                    deps,
                    ns,
                    c.path("sshPublicKey").path("source").path("secret").path("secretName"));
            secret(
                    deps,
                    ns,
                    c.path("userPassword").path("source").path("secret").path("secretName"));
        }
        for (JsonNode n : tspec.path("networks")) {
            String ref = n.path("multus").path("networkName").asText("");
            if (!ref.isEmpty()) {
                int slash = ref.indexOf('/');
                deps.add(new DependencyRef(
                        MULTUS,
                        DependencyRef.NAD,
                        slash > 0 ? ref.substring(0, slash) : ns,
                        slash > 0 ? ref.substring(slash + 1) : ref));
            }
        }
        matcher(
                deps,
                ns,
                vm.path("spec").path("instancetype"),
                DependencyRef.CLUSTER_INSTANCETYPE,
                DependencyRef.INSTANCETYPE);
        matcher(
                deps,
                ns,
                vm.path("spec").path("preference"),
                DependencyRef.CLUSTER_PREFERENCE,
                DependencyRef.PREFERENCE);
        return List.copyOf(deps);
    }

    private static void matcher(Set<DependencyRef> deps, String ns, JsonNode m, String clusterKind, String nsKind) {
        if (!m.isObject()) {
            return;
        }
        String kind = m.path("kind").asText(clusterKind);
        boolean cluster = !nsKind.equals(kind);
        add(deps, INSTANCETYPES, cluster ? clusterKind : nsKind, cluster ? null : ns, m.path("name"));
        add(deps, APPS, DependencyRef.CONTROLLER_REVISION, ns, m.path("revisionName"));
    }

    private static void secret(Set<DependencyRef> deps, String ns, JsonNode name) {
        add(deps, CORE, DependencyRef.SECRET, ns, name);
    }

    private static void add(Set<DependencyRef> deps, String api, String kind, String ns, JsonNode name) {
        if (name.isTextual() && !name.asText().isEmpty()) {
            deps.add(new DependencyRef(api, kind, ns, name.asText()));
        }
    }

    /** Whether {@code object} (any Kubernetes object) is one of {@code deps}. */
    public static boolean isOneOf(JsonNode object, List<DependencyRef> deps) {
        String kind = object.path("kind").asText();
        String ns = object.path("metadata").path("namespace").asText(null);
        String name = object.path("metadata").path("name").asText();
        return deps.stream().anyMatch(d -> d.matches(kind, ns, name));
    }
}
