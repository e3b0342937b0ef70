package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.Rbac;
import io.vmconfig.adapters.kube.KubeAccess;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.access.RequiredPermissions;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.TestRepository;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that writes to a cluster asks first (SelfSubjectAccessReview) for every permission it will use and,
 * lacking any, writes nothing and lists them all (exit code 6), against the strict in-process API server with a user
 * bound to narrow Roles.
 */
class PermissionPreflightTest {
    @TempDir
    Path tmp;

    /** A Role (a ClusterRole when {@code ns} is null) named {@code name} with {@code rules}, bound to alice. */
    static void role(EmbeddedKube k, String ns, String name, String rules) {
        k.role(ns, name, rules);
        k.bind(ns, name, ns == null ? "ClusterRole" : "Role", name, "User alice");
    }

    /** Reads everywhere (what plan needs), and a narrow writer Role on DR. */
    static String[] narrowDrUser(EmbeddedKube dr) {
        String[] alice = dr.user("alice");
        role(dr, null, "reader", "[{apiGroups: ['*'], resources: ['*'], verbs: [get, list]}]");
        role(
                dr,
                "lab-dr",
                "vm-writer",
                "[{apiGroups: [kubevirt.io], resources: [virtualmachines]," + " verbs: [create, update]}]");
        dr.drainWrites();
        return alice;
    }

    static final String RESTORE_MISSING = """
              NAMESPACE  RESOURCE                     VERBS
              *          namespaces                   [create]
              lab-dr     controllerrevisions.apps     [create, update]
              lab-dr     secrets                      [create, update]
              prod-apps  configmaps                   [create, update]
              prod-apps  secrets                      [create, update]
              prod-apps  serviceaccounts              [create, update]
              prod-apps  virtualmachines.kubevirt.io  [create, update]
            """;

    @Test
    void restoreIntoAClusterRefusesListingEveryMissingPermissionWritesNothingAndSucceedsOnceTheyAreGranted() {
        try (TwoClusters c = TwoClusters.start(tmp)) {
            c.backup();
            String[] alice = narrowDrUser(c.dr);
            Cli.Result r = Cli.run(c.drArgs("restore", alice));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.FORBIDDEN);
            assertThat(r.err())
                    .contains("restore --context refused before writing anything: user \"alice\" on dr"
                            + " lacks 13 permission(s):\n" + RESTORE_MISSING);
            assertThat(c.dr.drainWrites()).isZero();
            assertThat(c.dr.cluster.list(KubeKind.VM, null, null)).isEmpty();

            // exactly what was listed, no more: the restore then runs through without a single 403
            role(c.dr, null, "ns-creator", "[{apiGroups: [''], resources: [namespaces], verbs: [create]}]");
            role(
                    c.dr,
                    "lab-dr",
                    "deps",
                    "[{apiGroups: [apps], resources: [controllerrevisions], verbs: [create,"
                            + " update]}, {apiGroups: [''], resources: [secrets], verbs: [create, update]}]");
            role(
                    c.dr,
                    "prod-apps",
                    "all",
                    "[{apiGroups: [''], resources: [configmaps, secrets, serviceaccounts],"
                            + " verbs: [create, update]}, {apiGroups: [kubevirt.io], resources: [virtualmachines],"
                            + " verbs: [create, update]}]");
            c.dr.drainWrites();
            Cli.Result ok = Cli.run(c.drArgs("restore", alice));
            assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
            assertThat(c.dr.cluster.list(KubeKind.VM, null, null)).hasSize(3);
            assertThat(c.dr.drainWrites()).isPositive();
        }
    }

    @Test
    void syncRefusesBeforeItsFirstWriteIncludingItsEventsAndLease() {
        try (TwoClusters c = TwoClusters.start(tmp)) {
            c.backup();
            String[] alice = narrowDrUser(c.dr);
            Cli.Result r = Cli.run(c.drArgs("sync", alice, "--once", "--no-leader-elect", "--port", "-1"));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.FORBIDDEN);
            // restore's list, and Events where VMs are written and on the Lease (no Lease: --no-leader-elect)
            assertThat(r.err())
                    .contains("sync refused before writing anything: user \"alice\" on dr lacks 19"
                            + " permission(s):\n" + """
                      NAMESPACE        RESOURCE                     VERBS
                      *                namespaces                   [create]
                      lab-dr           controllerrevisions.apps     [create, update]
                      lab-dr           events                       [create, update]
                      lab-dr           secrets                      [create, update]
                      prod-apps        configmaps                   [create, update]
                      prod-apps        events                       [create, update]
                      prod-apps        secrets                      [create, update]
                      prod-apps        serviceaccounts              [create, update]
                      prod-apps        virtualmachines.kubevirt.io  [create, update]
                      vmconfig-system  events                       [create, update]
                    """);
            assertThat(c.dr.drainWrites()).isZero();
        }
    }

    @Test
    void importRefusesListingWhatItWouldCreateAndWritesNothing() {
        try (EmbeddedKube dr = EmbeddedKube.start("dr", tmp).seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"))) {
            Path out = tmp.resolve("export");
            assertThat(Cli.run(
                                    "export",
                                    "--from",
                                    Fixtures.EXAMPLES.resolve("production").toString(),
                                    "--out",
                                    out.toString())
                            .code())
                    .isZero();
            String[] alice = narrowDrUser(dr);
            Cli.Result r = Cli.run(TestRepository.args(
                    "import",
                    "--from",
                    out.toString(),
                    "--map",
                    Fixtures.EXAMPLES.resolve("volume-map.yaml").toString(),
                    alice));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.FORBIDDEN);
            assertThat(r.err())
                    .contains("import refused before writing anything: user \"alice\" on dr lacks")
                    .contains("  lab-dr     secrets                      [create]\n")
                    .contains("  prod-apps  virtualmachines.kubevirt.io  [create]\n")
                    .doesNotContain("update")
                    .doesNotContain("  lab-dr     virtualmachines");
            assertThat(dr.drainWrites()).isZero();
        }
    }

    @Test
    void activateAndDeactivateRefuseWithoutTheStateConfigMap() {
        try (EmbeddedKube dr = EmbeddedKube.start("dr", tmp)) {
            String[] alice = narrowDrUser(dr);
            for (String command : new String[] {"activate", "deactivate"}) {
                // the site-wide switch (--all) records the DR site's state in its ConfigMap
                String[] args = TestRepository.args(command, "--all", alice);
                Cli.Result r = Cli.run(args);
                assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.FORBIDDEN);
                assertThat(r.err())
                        .contains(command + " refused before writing anything")
                        .containsPattern("\\*\\s+virtualmachines\\.kubevirt\\.io\\s+\\[update\\]")
                        .containsPattern("vmconfig-system\\s+configmaps\\s+\\[create, update\\]");
                assertThat(dr.drainWrites()).isZero();
            }
        }
    }

    /** The Roles deploy/ gives the sync controller pass its own pre-flight: the deployed controller is not refused. */
    @Test
    void theDeployedSyncRolesPassThePreflight() {
        try (TwoClusters c = TwoClusters.start(tmp)) {
            c.backup();
            String[] sa = c.dr.user("system:serviceaccount:vmconfig-system:vmconfig-sync");
            deployed(c.dr, "dr/rbac.yaml");
            Cli.Result r = Cli.run(c.drArgs("sync", sa, "--once", "--no-leader-elect", "--port", "-1"));
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(c.dr.cluster.list(KubeKind.VM, null, null)).hasSize(3);
            try (KubeCluster asSa = KubeCluster.connect(sa[1], sa[3], 0, 1)) {
                KubeAccess access = new KubeAccess(asSa);
                assertThat(access.user()).isEqualTo("system:serviceaccount:vmconfig-system:vmconfig-sync");
                assertThat(access.denied(new RequiredPermissions(KubeAccess::resource, ns -> true)
                                .toRunController("vmconfig-system", true, true, List.of())
                                .list()))
                        .as("the Lease and Events of a leader-elected controller")
                        .isEmpty();
            }
        }
    }

    /** The Roles and bindings of a deploy/ file, created in {@code k}. */
    static void deployed(EmbeddedKube k, String file) {
        for (var o : io.vmconfig.adapters.files.KubeObjectReader.readFile(Fixtures.DEPLOY.resolve(file))) {
            switch (o.kind()) {
                case "ClusterRole" -> k.create(Rbac.CLUSTER_ROLE, (ObjectNode) o.object());
                case "ClusterRoleBinding" -> k.create(Rbac.CLUSTER_ROLE_BINDING, (ObjectNode) o.object());
                case "Role" -> k.create(Rbac.ROLE, (ObjectNode) o.object());
                case "RoleBinding" -> k.create(Rbac.ROLE_BINDING, (ObjectNode) o.object());
                default -> {}
            }
        }
    }

    /** The backup CronJob's account (deploy/source) reads every VM and its Secrets: nothing is refused or left out. */
    @Test
    void theDeployedBackupRoleReadsEverySecret() {
        try (TwoClusters c = TwoClusters.start(tmp)) {
            String[] sa = c.prod.user("system:serviceaccount:vmconfig-system:vmconfig-backup");
            deployed(c.prod, "source/rbac.yaml");
            Cli.Result b = Cli.run(TestRepository.args(
                    "backup",
                    "--all-namespaces",
                    TestRepository.writer(c.repo, c.keys),
                    "--source-cluster",
                    "prod",
                    "-o",
                    "json",
                    sa));
            assertThat(b.code()).as(b.out() + b.err()).isZero();
            assertThat(b.out())
                    .contains("\"vms\" : 3")
                    .doesNotContain("secrets-omitted")
                    .doesNotContain("failed");
        }
    }
}
