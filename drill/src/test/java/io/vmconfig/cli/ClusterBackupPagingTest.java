package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.Faults;
import io.vmconfig.adapters.files.KubeObjectReader;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.FleetFiles;
import io.vmconfig.testing.TestRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup --context} reads the cluster a page of VMs at a time ({@code --page-size}, list {@code limit} and
 * {@code continue}, which the test kit's strict dispatcher serves as a real API server does) and reads each VM's
 * objects by name, never a namespace's Secrets or ConfigMaps at once; the set is the one {@code backup --from} the
 * same objects dumped to a file writes.
 */
class ClusterBackupPagingTest {
    static final int VMS = 23;
    static final int PAGE = 5;

    @TempDir
    Path tmp;

    String keys;
    Path fleet;
    EmbeddedKube prod;

    @BeforeEach
    void start() throws Exception {
        keys = TestRepository.keys(tmp);
        fleet = FleetFiles.write(tmp.resolve("fleet"), VMS);
        prod = EmbeddedKube.start("prod", tmp);
        // the generated VMs share some objects (a Secret of the namespace): each is created once
        java.util.Set<String> created = new java.util.HashSet<>();
        for (var o : KubeObjectReader.read(fleet)) {
            if (created.add(o.kind() + "|" + o.namespace() + "|" + o.name())) {
                prod.create((com.fasterxml.jackson.databind.node.ObjectNode) o.object());
            }
        }
        requestPaths(); // the seeding's requests are not the backup's
    }

    @AfterEach
    void stop() {
        if (prod != null) {
            prod.close();
        }
    }

    /** The paths (with queries) of every request the server received since the last call, in order. */
    private List<String> requestPaths() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (var r = prod.server.takeRequest(20, TimeUnit.MILLISECONDS);
                r != null;
                r = prod.server.takeRequest(20, TimeUnit.MILLISECONDS)) {
            out.add(r.getMethod() + " "
                    + java.net.URLDecoder.decode(r.getPath(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * What {@code kubectl get vm,secret,configmap,serviceaccount,controllerrevision,pvc,… -A -o json} prints of the
     * cluster (objects as the server holds them: VMs at kubevirt.io/v1, server-set metadata), as one file.
     */
    private Path dump() throws java.io.IOException, InterruptedException {
        com.fasterxml.jackson.databind.node.ObjectNode list =
                Json.object().put("apiVersion", "v1").put("kind", "List");
        var items = list.putArray("items");
        prod.cluster.list(KubeKind.VM, null, null).forEach(items::add);
        for (KubeKind k : KubeKind.SOURCE_DEPENDENCIES) {
            prod.cluster.list(k, null, null).forEach(items::add);
        }
        Path file = tmp.resolve("dump.json");
        java.nio.file.Files.writeString(file, Json.compact(list));
        requestPaths(); // the dump's requests are not the backup's
        return file;
    }

    private Cli.Result backup(String repo, Object... more) {
        return Cli.run(TestRepository.args("backup", TestRepository.writer(repo, keys), "-o", "json", more));
    }

    @Test
    void aBackupOfMoreVmsThanAPageReadsThemPageByPageAndStoresWhatABackupOfTheFilesStores() throws Exception {
        String repo = TestRepository.init(tmp.resolve("repo").toString(), keys);
        Cli.Result fromFiles = backup(repo, "--from", dump().toString(), "--source-cluster", "prod");
        assertThat(fromFiles.code()).as(fromFiles.out() + fromFiles.err()).isZero();
        assertThat(Json.parse(fromFiles.out(), "backup").path("vms").asInt()).isEqualTo(VMS);

        Cli.Result fromCluster = backup(repo, prod.contextArgs(), "--page-size", "" + PAGE);
        assertThat(fromCluster.code()).as(fromCluster.out() + fromCluster.err()).isZero();
        assertThat(Json.parse(fromCluster.out(), "backup").path("vms").asInt()).isEqualTo(VMS);
        // the same objects read from the cluster give the same bundles: nothing of the set changed
        assertThat(Json.parse(fromCluster.out(), "backup").path("changed").asInt())
                .as(fromCluster.out())
                .isZero();

        List<String> seen = requestPaths();
        List<String> vmLists = seen.stream()
                .filter(p -> p.startsWith("GET /apis/kubevirt.io/v1/virtualmachines?"))
                .toList();
        // each walk of the VMs (a run that trains its dictionaries walks three times) reads five pages: the first
        // without a continue token, each next one with the token the previous page gave
        int pages = (VMS + PAGE - 1) / PAGE;
        assertThat(vmLists).as(String.join("\n", seen)).isNotEmpty();
        assertThat(vmLists.size() % pages).as(String.join("\n", vmLists)).isZero();
        assertThat(vmLists).allMatch(p -> p.contains("limit=" + PAGE));
        for (int i = 0; i < vmLists.size(); i++) {
            assertThat(vmLists.get(i).contains("continue=")).as(vmLists.get(i)).isEqualTo(i % pages != 0);
        }
        // every other read names one object: no namespace's Secrets, ConfigMaps or PVCs are listed at once
        List<String> others = seen.stream()
                .filter(p -> p.startsWith("GET ") && !vmLists.contains(p))
                .toList();
        assertThat(others).isNotEmpty().allMatch(p -> p.contains("fieldSelector=metadata.name="));
        assertThat(others).anyMatch(p -> p.contains("/secrets?"));
        assertThat(seen).allMatch(p -> p.startsWith("GET "));
    }

    @Test
    void aVmDeletedBetweenTheWalksOfAFirstBackupFailsItBeforeAnythingIsSigned() {
        String repo = TestRepository.init(tmp.resolve("repo").toString(), keys);
        // a first backup trains its dictionaries: three walks; the second walk's first page finds one VM fewer
        prod.faults.deleteBefore(
                Faults.verb("list", "virtualmachines"),
                (VMS + PAGE - 1) / PAGE + 1,
                "/apis/kubevirt.io/v1/namespaces/prod-apps/virtualmachines/app-03-0");
        Cli.Result r = backup(repo, prod.contextArgs(), "--page-size", "" + PAGE);
        assertThat(r.code()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).contains("deleted while the backup read the cluster again");
        assertThat(prod.faults.pending()).isZero();
        Cli.Result sets = Cli.run("sets", "--repo", repo, "--verify-key", keys + "/signing.pub", "-o", "json");
        assertThat(Json.parse(sets.out(), "sets").findParents("set")).isEmpty();

        Cli.Result again = backup(repo, prod.contextArgs(), "--page-size", "" + PAGE);
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(Json.parse(again.out(), "backup").path("vms").asInt()).isEqualTo(VMS - 1);
    }
}
