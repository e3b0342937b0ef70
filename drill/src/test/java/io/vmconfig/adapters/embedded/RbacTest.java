package io.vmconfig.adapters.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeAccess;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.access.Permission;
import io.vmconfig.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded API server authenticates by bearer token and authorizes every request by the RBAC objects it holds,
 * answering 403 like kube-apiserver, and SelfSubjectAccessReview / SelfSubjectReview from the same rules.
 */
class RbacTest {
    @TempDir
    Path tmp;

    static ObjectNode configMap(String ns, String name) {
        return Fixtures.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: " + ns + ", name: " + name
                + "}\ndata: {k: v}\n");
    }

    static KubeCluster as(String[] args) {
        return KubeCluster.connect(args[1], args[3], 0, 1);
    }

    @Test
    void aUserWithoutBindingsIsForbiddenWithTheApiServersWordsAndAnUnknownTokenIsUnauthorized() {
        try (EmbeddedKube k = EmbeddedKube.start("rbac", tmp)) {
            k.create(configMap("lab", "a"));
            try (KubeCluster alice = as(k.user("alice"))) {
                assertThatThrownBy(() -> alice.get(KubeKind.CONFIG_MAP, "lab", "a"))
                        .isInstanceOf(VmConfigException.class)
                        .hasMessageContaining("HTTP 403 Forbidden")
                        .rootCause()
                        .hasMessageContaining("configmaps \"a\" is forbidden: User \"alice\" cannot get"
                                + " resource \"configmaps\" in API group \"\" in the namespace \"lab\"");
                assertThatThrownBy(() -> alice.list(KubeKind.STORAGE_CLASS, null, null))
                        .rootCause()
                        .hasMessageContaining("storageclasses.storage.k8s.io is forbidden: User \"alice\""
                                + " cannot list resource \"storageclasses\" in API group \"storage.k8s.io\" at the"
                                + " cluster scope");
            }
            Path unknown = tmp.resolve("unknown.kubeconfig");
            try {
                java.nio.file.Files.writeString(
                        unknown,
                        java.nio.file.Files.readString(k.kubeconfig)
                                .replace("token: " + Rbac.ADMIN_TOKEN, "token: nobody-knows-me"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            try (KubeCluster nobody = KubeCluster.connect(unknown.toString(), k.name, 0, 1)) {
                assertThatThrownBy(() -> nobody.get(KubeKind.CONFIG_MAP, "lab", "a"))
                        .hasMessageContaining("HTTP 401");
            }
            try (KubeCluster admin = KubeCluster.connect(k.kubeconfig.toString(), k.name, 0, 1)) {
                assertThat(admin.get(KubeKind.CONFIG_MAP, "lab", "a")).isPresent();
            }
        }
    }

    @Test
    void aRoleGrantsItsVerbsResourcesAndNamesInItsOwnNamespaceOnly() {
        try (EmbeddedKube k = EmbeddedKube.start("rbac", tmp)) {
            k.create(configMap("lab", "a"));
            k.create(configMap("other", "a"));
            k.create(Fixtures.yaml("apiVersion: v1\nkind: Secret\nmetadata: {namespace: lab, name: s1}\n"));
            k.create(Fixtures.yaml("apiVersion: v1\nkind: Secret\nmetadata: {namespace: lab, name: s2}\n"));
            k.role(
                    "lab",
                    "cm-editor",
                    "[{apiGroups: [''], resources: [configmaps], verbs: [get, list, create]},"
                            + " {apiGroups: [''], resources: [secrets], resourceNames: [s1], verbs: [get]}]");
            k.bind("lab", "alice-cm", "Role", "cm-editor", "User alice");
            try (KubeCluster alice = as(k.user("alice"))) {
                assertThat(alice.list(KubeKind.CONFIG_MAP, "lab", null)).hasSize(1);
                alice.create(KubeKind.CONFIG_MAP, configMap("lab", "b"));
                ObjectNode a = alice.get(KubeKind.CONFIG_MAP, "lab", "a").orElseThrow();
                assertThatThrownBy(() -> alice.update(KubeKind.CONFIG_MAP, a))
                        .rootCause()
                        .hasMessageContaining("cannot update resource \"configmaps\"");
                assertThatThrownBy(() -> alice.get(KubeKind.CONFIG_MAP, "other", "a"))
                        .rootCause()
                        .hasMessageContaining("in the namespace \"other\"");
                assertThat(alice.get(KubeKind.SECRET, "lab", "s1")).isPresent();
                assertThatThrownBy(() -> alice.get(KubeKind.SECRET, "lab", "s2"))
                        .rootCause()
                        .hasMessageContaining("secrets \"s2\" is forbidden");
                assertThatThrownBy(() -> alice.list(KubeKind.SECRET, "lab", null))
                        .rootCause()
                        .hasMessageContaining("cannot list resource \"secrets\"");
                assertThat(alice.list(KubeKind.CONFIG_MAP, "lab", null)).hasSize(2);
            }
            assertThat(k.cluster.get(KubeKind.CONFIG_MAP, "lab", "b")).isPresent();
        }
    }

    @Test
    void aClusterRoleGrantsInTheNamespaceOfItsRoleBindingOrEverywhereThroughAClusterRoleBindingOfAGroup() {
        try (EmbeddedKube k = EmbeddedKube.start("rbac", tmp)) {
            k.create(configMap("lab", "a"));
            k.create(configMap("other", "a"));
            k.role(null, "cm-reader", "[{apiGroups: [''], resources: [configmaps], verbs: [get]}]");
            k.role(null, "sc-reader", "[{apiGroups: ['*'], resources: ['*'], verbs: [list]}]");
            k.bind("lab", "alice-cm", "ClusterRole", "cm-reader", "User alice");
            k.bind(null, "ops-sc", "ClusterRole", "sc-reader", "Group ops");
            try (KubeCluster alice = as(k.user("alice"));
                    KubeCluster carol = as(k.user("carol", "ops"))) {
                assertThat(alice.get(KubeKind.CONFIG_MAP, "lab", "a")).isPresent();
                assertThatThrownBy(() -> alice.get(KubeKind.CONFIG_MAP, "other", "a"))
                        .rootCause()
                        .hasMessageContaining("forbidden");
                assertThatThrownBy(() -> alice.list(KubeKind.STORAGE_CLASS, null, null))
                        .rootCause()
                        .hasMessageContaining("forbidden");
                assertThat(carol.list(KubeKind.CONFIG_MAP, null, null)).hasSize(2);
                assertThat(carol.list(KubeKind.STORAGE_CLASS, null, null)).isEmpty();
                assertThatThrownBy(() -> carol.get(KubeKind.CONFIG_MAP, "lab", "a"))
                        .rootCause()
                        .hasMessageContaining("cannot get");
            }
        }
    }

    @Test
    void accessReviewsAnswerFromTheSameRulesSubresourcesIncludedAndSelfSubjectReviewNamesTheUser() {
        try (EmbeddedKube k = EmbeddedKube.start("rbac", tmp)) {
            k.role(
                    "lab-dr",
                    "vm-writer",
                    "[{apiGroups: [kubevirt.io], resources: [virtualmachines],"
                            + " verbs: [get, create, update]}, {apiGroups: ['*'], resources: ['*/status'], verbs: [patch]}]");
            k.bind("lab-dr", "alice-vm", "Role", "vm-writer", "User alice");
            try (KubeCluster alice = as(k.user("alice", "dr-ops"))) {
                KubeAccess access = new KubeAccess(alice);
                assertThat(access.user()).isEqualTo("alice");
                Permission create = new Permission("create", "kubevirt.io", "virtualmachines", "lab-dr");
                Permission elsewhere = new Permission("create", "kubevirt.io", "virtualmachines", "lab");
                Permission delete = new Permission("delete", "kubevirt.io", "virtualmachines", "lab-dr");
                Permission status = new Permission("update", "kubevirt.io", "virtualmachines/status", "lab-dr");
                Permission patchStatus = new Permission("patch", "kubevirt.io", "virtualmachines/status", "lab-dr");
                Permission namespaces = new Permission("create", "", "namespaces", null);
                assertThat(access.denied(List.of(create, elsewhere, delete, status, patchStatus, namespaces)))
                        .containsExactly(elsewhere, delete, status, namespaces);
                assertThat(alice.meter().writes())
                        .as("reviews are questions, not writes")
                        .isZero();
            }
            try (KubeCluster admin = KubeCluster.connect(k.kubeconfig.toString(), k.name, 0, 1)) {
                KubeAccess access = new KubeAccess(admin);
                assertThat(access.user()).isEqualTo(Rbac.ADMIN_NAME);
                assertThat(access.denied(List.of(new Permission("create", "", "namespaces", null))))
                        .isEmpty();
            }
            assertThat(k.drainWrites())
                    .as("the CRD, the Role and its binding; reviews are never stored")
                    .isEqualTo(3);
        }
    }
}
