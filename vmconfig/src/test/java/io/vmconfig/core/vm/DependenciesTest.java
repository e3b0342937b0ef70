package io.vmconfig.core.vm;

import static io.vmconfig.testing.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependenciesTest {
    @Test
    void harvesterVmNeedsItsCloudInitSecretAndNad() {
        List<DependencyRef> deps = Dependencies.of(Fixtures.vm("harvester-web-01.yaml"));
        assertThat(deps)
                .containsExactly(
                        new DependencyRef("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition", "prod-apps", "vlan-210"),
                        new DependencyRef("v1", "Secret", "prod-apps", "web-01-cloudinit-8fj2d"));
    }

    @Test
    void kubevirtVmNeedsSecretsRevisionsInstancetypesAndNad() {
        List<DependencyRef> deps = Dependencies.of(Fixtures.vm("kubevirt-db-02.yaml"));
        assertThat(deps)
                .extracting(DependencyRef::toString)
                .containsExactly(
                        "ControllerRevision lab/db-02-fedora-8b2d6e03-1",
                        "ControllerRevision lab/db-02-u1.medium-4c7f1a9e-1",
                        "NetworkAttachmentDefinition lab/storage-vlan40",
                        "Secret lab/db-02-userdata",
                        "Secret lab/lab-ops-keys",
                        "VirtualMachineClusterInstancetype u1.medium",
                        "VirtualMachineClusterPreference fedora");
        assertThat(deps.stream().filter(DependencyRef::carried))
                .extracting(DependencyRef::kind)
                .containsOnly("ControllerRevision", "Secret");
    }

    @Test
    void everyReferenceKindIsFound() {
        List<DependencyRef> deps = Dependencies.of(yaml("""
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {name: vm, namespace: ns}
                spec:
                  instancetype: {kind: VirtualMachineInstancetype, name: small}
                  preference: {name: win}
                  template:
                    spec:
                      accessCredentials:
                      - userPassword: {source: {secret: {secretName: pw}}}
                      networks:
                      - {name: a, multus: {networkName: local-nad}}
                      - {name: b, pod: {}}
                      volumes:
                      - {name: s, sysprep: {secret: {name: sys-secret}}}
                      - {name: c, sysprep: {configMap: {name: sys-cm}}}
                      - {name: d, secret: {secretName: plain-secret}}
                      - {name: e, configMap: {name: plain-cm}}
                      - {name: f, serviceAccount: {serviceAccountName: sa}}
                      - {name: g, containerDisk: {image: x, imagePullSecret: pull}}
                      - {name: h, cloudInitConfigDrive: {secretRef: {name: drive}}}
                """));
        assertThat(deps)
                .extracting(DependencyRef::toString)
                .containsExactlyInAnyOrder(
                        "Secret ns/pw",
                        "NetworkAttachmentDefinition ns/local-nad",
                        "Secret ns/sys-secret",
                        "ConfigMap ns/sys-cm",
                        "Secret ns/plain-secret",
                        "ConfigMap ns/plain-cm",
                        "ServiceAccount ns/sa",
                        "Secret ns/pull",
                        "Secret ns/drive",
                        "VirtualMachineInstancetype ns/small",
                        "VirtualMachineClusterPreference win");
    }
}
