package io.vmconfig.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.EmbeddedS3;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.adapters.velero.proto.v2.BackupItemActionGrpc;
import io.vmconfig.adapters.velero.proto.v2.ExecuteRequest;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import io.vmconfig.testing.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config-only flow end to end, with this test playing Velero: the built plugin started as Velero starts it,
 * vm-backup Executes for the example VMs with a config-only Backup, the Backup moved through its phases in the
 * production API server (fabric8 mock), {@code vmconfig seal} run against it, and the sets read back from S3
 * (S3Proxy over HTTP) by {@code verify}, {@code restore} and {@code sync} into a DR API server with the replicated
 * PVCs.
 */
class VeleroConfigOnlyE2EIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VM_BACKUP = "vmconfig.io/vm-backup";
    static final String MAP = Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();
    static final ResourceDefinitionContext BACKUPS = crd("Backup", "backups");
    static final ResourceDefinitionContext LOCATIONS = crd("BackupStorageLocation", "backupstoragelocations");

    @TempDir
    Path tmp;

    EmbeddedKube prod;
    EmbeddedKube dr;
    PluginProcess plugin;
    String keys;
    String bucketUrl;
    Path credentials;

    static ResourceDefinitionContext crd(String kind, String plural) {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup("velero.io")
                .withVersion("v1")
                .withKind(kind)
                .withPlural(plural)
                .withScope("Namespaced")
                .build();
    }

    @BeforeEach
    void start() throws Exception {
        keys = tmp.resolve("keys").toString();
        assertThat(Cli.run("keys", "generate", "--out", keys).code()).isZero();
        credentials = tmp.resolve("cloud");
        Files.writeString(
                credentials,
                "[default]\naws_access_key_id=" + EmbeddedS3.ACCESS_KEY + "\naws_secret_access_key="
                        + EmbeddedS3.SECRET_KEY + "\n");
        prod = EmbeddedKube.start("prod", tmp).seed(Fixtures.EXAMPLES.resolve("production"));
        prod.server.expectCustomResource((CustomResourceDefinitionContext) BACKUPS);
        prod.server.expectCustomResource((CustomResourceDefinitionContext) LOCATIONS);
        dr = EmbeddedKube.start("dr", tmp).seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"));
        bucketUrl = EmbeddedS3.get().newBucketUrl("velero/vmconfig");
    }

    @AfterEach
    void stop() throws Exception {
        if (plugin != null) {
            plugin.close();
        }
        prod.close();
        dr.close();
    }

    /** The repository as the CLI reaches it (same bucket and prefix as the plugin, credentials file given). */
    String repo() {
        return bucketUrl + "&credentials=" + credentials;
    }

    void initRepository() {
        Cli.Result r = Cli.run(
                "repo", "init", "--repo", repo(), "--signer", keys + "/signing.pub", "--key", keys + "/repository.key");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
    }

    /**
     * The vm-backup plugin ConfigMap of deploy/velero/ (so the plugin must accept every key it ships with), pointed
     * at the test's repository, and the repository-key Secret.
     */
    void pluginConfig(String repositoryUrl) throws IOException {
        ObjectNode cm = (ObjectNode) io.vmconfig.adapters.files.KubeObjectReader.read(
                        io.vmconfig.testing.Fixtures.DEPLOY.resolve("velero/backup-plugin-configmap.yaml"))
                .get(0)
                .object();
        ((ObjectNode) cm.path("data")).put("repository", repositoryUrl);
        prod.cluster
                .client()
                .configMaps()
                .inNamespace("velero")
                .resource(typed(cm, io.fabric8.kubernetes.api.model.ConfigMap.class))
                .createOr(c -> c.update());
        repositoryKeySecret();
    }

    /** {@code o} as the fabric8 type {@code type}, to write through the typed client. */
    <T> T typed(ObjectNode o, Class<T> type) {
        return prod.cluster.client().getKubernetesSerialization().unmarshal(Json.compact(o), type);
    }

    void repositoryKeySecret() throws IOException {
        String key = Files.readString(Path.of(keys, "repository.key")).strip();
        if (prod.cluster
                        .client()
                        .secrets()
                        .inNamespace("velero")
                        .withName("vmconfig-repository-key")
                        .get()
                == null) {
            prod.cluster
                    .client()
                    .secrets()
                    .inNamespace("velero")
                    .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                            .withNewMetadata()
                            .withName("vmconfig-repository-key")
                            .withNamespace("velero")
                            .endMetadata()
                            .addToData(
                                    "repository.key",
                                    java.util.Base64.getEncoder()
                                            .encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                            .build())
                    .create();
        }
    }

    /**
     * The repository, the plugin ConfigMap pointing at it, the Backup {@code name} in {@code phase} and the plugin
     * started: where every plugin run of these tests begins.
     */
    ObjectNode startRun(String name, String phase) throws IOException {
        initRepository();
        pluginConfig(bucketUrl);
        ObjectNode backup = backup(name, phase);
        startPlugin();
        return backup;
    }

    /** A config-only Backup as a Schedule creates it: the label through the template's metadata. */
    ObjectNode backup(String name, String phase) {
        ObjectNode b = Json.object().put("apiVersion", "velero.io/v1").put("kind", "Backup");
        b.putObject("metadata")
                .put("name", name)
                .put("namespace", "velero")
                .putObject("labels")
                .put("vmconfig.io/config-only", "true")
                .put("velero.io/schedule-name", "vmconfig-config-only");
        ObjectNode spec = b.putObject("spec")
                .put("snapshotVolumes", false)
                .put("defaultVolumesToFsBackup", false)
                .put("storageLocation", "default");
        spec.putArray("includedNamespaces").add("prod-apps").add("lab");
        b.putObject("status").put("phase", phase);
        var stored = prod.cluster
                .client()
                .genericKubernetesResources(BACKUPS)
                .inNamespace("velero")
                .resource(typed(b, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
                .createOr(c -> c.update());
        // Velero hands the plugin the Backup as stored, uid included (vm-backup keeps a run's repository by it)
        ((ObjectNode) b.get("metadata")).put("uid", stored.getMetadata().getUid());
        return b;
    }

    void phase(ObjectNode backup, String phase) {
        ((ObjectNode) backup.path("status")).put("phase", phase);
        var r = prod.cluster
                .client()
                .genericKubernetesResources(BACKUPS)
                .inNamespace("velero")
                .withName(backup.path("metadata").path("name").asText())
                .get();
        r.setAdditionalProperty("status", Map.of("phase", phase));
        prod.cluster
                .client()
                .genericKubernetesResources(BACKUPS)
                .inNamespace("velero")
                .resource(r)
                .update();
    }

    List<ObjectNode> prodVms() {
        return prod.cluster.list(KubeKind.VM, null, null);
    }

    PluginProcess startPlugin() throws IOException {
        Map<String, String> env = PluginProcess.veleroEnv();
        env.put("KUBECONFIG", prod.kubeconfig.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString()); // Velero's /credentials/cloud
        plugin = PluginProcess.start(env);
        return plugin;
    }

    /** vm-backup Execute as Velero sends it for one VM item. */
    static void execute(PluginProcess p, JsonNode vm, JsonNode backup) throws Exception {
        BackupItemActionGrpc.newBlockingStub(p.channel)
                .execute(ExecuteRequest.newBuilder()
                        .setPlugin(VM_BACKUP)
                        .setItem(ByteString.copyFrom(JSON.writeValueAsBytes(vm)))
                        .setBackup(ByteString.copyFrom(JSON.writeValueAsBytes(backup)))
                        .build());
    }

    Cli.Result seal(String... more) {
        return Cli.run(TestRepository.args(
                "seal",
                TestRepository.writer(repo(), keys),
                "--source-cluster",
                "prod",
                "-o",
                "json",
                more,
                prod.contextArgs()));
    }

    JsonNode sets() {
        Cli.Result r = Cli.run("sets", "--repo", repo(), "--verify-key", keys + "/signing.pub", "-o", "json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        JsonNode sets = Json.parse(r.out(), "sets");
        assertThat(sets.isArray()).as(r.out()).isTrue();
        return sets;
    }

    Cli.Result verify() {
        return Cli.run(
                "verify", "--repo", repo(), "--verify-key", keys + "/signing.pub", "--key", keys + "/repository.key");
    }

    static JsonNode runOutcome(Cli.Result r, String run) {
        for (JsonNode n : Json.parse(r.out(), "seal").path("runs")) {
            if (n.path("run").asText().equals(run)) {
                return n;
            }
        }
        throw new AssertionError("no outcome for " + run + " in " + r.out() + r.err());
    }

    int objects(String prefix) {
        return objectNames(prefix).size();
    }

    @Test
    void aCompletedConfigOnlyBackupBecomesOneSignedSetThatRestoreAndSyncRead() throws Exception {
        ObjectNode backup = startRun("vmconfig-config-only-20261126", "InProgress");
        for (ObjectNode vm : prodVms()) {
            execute(plugin, vm, backup);
        }
        assertThat(objects("bundles/")).isEqualTo(prodVms().size());

        Cli.Result early = seal();
        assertThat(early.code()).as(early.out() + early.err()).isZero();
        assertThat(runOutcome(early, "vmconfig-config-only-20261126")
                        .path("action")
                        .asText())
                .isEqualTo("WAITING");
        phase(backup, "WaitingForPluginOperations");
        seal();
        assertThat(sets()).isEmpty();

        phase(backup, "Completed");
        Cli.Result sealed = seal();
        assertThat(sealed.code()).as(sealed.out() + sealed.err()).isZero();
        assertThat(runOutcome(sealed, "vmconfig-config-only-20261126")
                        .path("action")
                        .asText())
                .isEqualTo("SEALED");
        assertThat(sets()).hasSize(1);
        assertThat(sets().get(0).path("run").asText()).isEqualTo("vmconfig-config-only-20261126");
        assertThat(sets().get(0).path("vms").asInt()).isEqualTo(prodVms().size());
        assertThat(seal().out()).doesNotContain("SEALED"); // a second pass finds nothing to do
        assertThat(sets()).hasSize(1);
        Cli.Result verified = verify();
        assertThat(verified.code()).as(verified.out() + verified.err()).isZero();

        Cli.Result restored = Cli.run(TestRepository.args(
                "restore",
                TestRepository.reader(repo(), keys, MAP),
                "--out",
                tmp.resolve("out").toString()));
        assertThat(restored.code()).as(restored.out() + restored.err()).isZero();
        assertThat(tmp.resolve("out")).isNotEmptyDirectory();

        Cli.Result synced = Cli.run(TestRepository.args(
                "sync", "--once", TestRepository.reader(repo(), keys, MAP), "-o", "json", dr.contextArgs()));
        assertThat(synced.code()).as(synced.out() + synced.err()).isZero();
        ObjectNode web = dr.cluster.get(KubeKind.VM, "prod-apps", "web-01").orElseThrow();
        assertThat(web.path("spec").path("runStrategy").asText()).isEqualTo("Halted");
        assertThat(web.toString()).contains("dr-web-01-root");
        assertThat(dr.cluster.get(KubeKind.VM, "lab-dr", "db-02")).isPresent();

        // the next scheduled backup of the unchanged VMs uploads no bundle
        ObjectNode next = backup("vmconfig-config-only-20261127", "InProgress");
        for (ObjectNode vm : prodVms()) {
            execute(plugin, vm, next);
        }
        assertThat(objects("bundles/")).isEqualTo(prodVms().size());
        phase(next, "Completed");
        assertThat(runOutcome(seal(), "vmconfig-config-only-20261127")
                        .path("action")
                        .asText())
                .isEqualTo("SEALED");
        assertThat(sets()).hasSize(2);
    }

    @Test
    void withoutAPluginConfigMapTheBackupStorageLocationHoldsTheRepositoryUnderVmconfig() throws Exception {
        // the BSL names the bucket and prefix "velero"; the repository is at velero/vmconfig/ (bucketUrl)
        initRepository();
        repositoryKeySecret();
        String bucket = bucketUrl.substring("s3://".length(), bucketUrl.indexOf('/', "s3://".length()));
        ObjectNode bsl = Json.object().put("apiVersion", "velero.io/v1").put("kind", "BackupStorageLocation");
        bsl.putObject("metadata").put("name", "default").put("namespace", "velero");
        ObjectNode spec = bsl.putObject("spec").put("provider", "aws");
        spec.putObject("objectStorage").put("bucket", bucket).put("prefix", "velero");
        spec.putObject("config")
                .put("region", "us-east-1")
                .put("s3ForcePathStyle", "true")
                .put("s3Url", EmbeddedS3.get().endpoint());
        prod.cluster
                .client()
                .genericKubernetesResources(LOCATIONS)
                .inNamespace("velero")
                .resource(prod.cluster
                        .client()
                        .getKubernetesSerialization()
                        .unmarshal(Json.compact(bsl), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
                .create();
        ObjectNode backup = backup("from-bsl", "InProgress");
        startPlugin();
        for (ObjectNode vm : prodVms()) {
            execute(plugin, vm, backup);
        }
        phase(backup, "Completed");
        assertThat(runOutcome(seal(), "from-bsl").path("action").asText()).isEqualTo("SEALED");
        assertThat(sets()).hasSize(1);
    }

    @Test
    void aFailedBackupLeavesNoSetAndNoStaging() throws Exception {
        ObjectNode backup = startRun("failed-run", "InProgress");
        for (ObjectNode vm : prodVms()) {
            execute(plugin, vm, backup);
        }
        phase(backup, "Failed");
        assertThat(runOutcome(seal(), "failed-run").path("action").asText()).isEqualTo("DISCARDED");
        assertThat(sets()).isEmpty();
        assertThat(objects("staging/")).isZero();
        assertThat(verify().code()).isZero();
    }

    @Test
    void aPluginKilledMidBackupLeavesNoSetAndNoCorruption() throws Exception {
        ObjectNode backup = startRun("killed-run", "InProgress");
        List<ObjectNode> vms = prodVms();
        execute(plugin, vms.get(0), backup);
        plugin.process.destroyForcibly().waitFor();
        plugin.close(); // the test's channel to the killed process
        plugin = null;
        assertThat(runOutcome(seal(), "killed-run").path("action").asText()).isEqualTo("WAITING");
        assertThat(sets()).isEmpty();
        Cli.Result verified = verify();
        assertThat(verified.code()).as(verified.out() + verified.err()).isZero();
        // Velero marks a Backup that was in progress when its server went away as Failed
        phase(backup, "Failed");
        assertThat(runOutcome(seal(), "killed-run").path("action").asText()).isEqualTo("DISCARDED");
        assertThat(sets()).isEmpty();
        assertThat(objects("staging/")).isZero();
    }

    /**
     * S3 goes down for real mid-backup (the server stops; the plugin keeps its ConfigMap and its run's location):
     * Velero sees each later item fail with an error naming the VM and the repository, nothing of those VMs reaches
     * the bucket, and once S3 is back the PartiallyFailed Backup seals with only the VM written before the outage.
     */
    @Test
    void s3DownDuringExecuteFailsTheItemAndThePartiallyFailedBackupSealsOnlyTheWrittenVms() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start()) {
            bucketUrl = s3.newBucketUrl("velero/vmconfig");
            ObjectNode backup = startRun("s3-down", "InProgress");
            List<ObjectNode> vms = prodVms();
            execute(plugin, vms.get(0), backup);
            List<String> before = objectNames("");
            assertThat(before).contains("staging/s3-down/vms/" + ref(vms.get(0)) + ".json");

            s3.outage();
            List<String> failed = new ArrayList<>();
            for (ObjectNode vm : vms.subList(1, vms.size())) {
                StatusRuntimeException e =
                        catchThrowableOfType(() -> execute(plugin, vm, backup), StatusRuntimeException.class);
                assertThat(e).as("Execute of %s", ref(vm)).isNotNull();
                assertThat(e.getStatus().getCode())
                        .isIn(Status.Code.UNAVAILABLE, Status.Code.INTERNAL, Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription())
                        .contains("VM " + ref(vm))
                        .contains("vmconfig repository " + bucketUrl.substring(0, bucketUrl.indexOf('?')))
                        .doesNotContain(EmbeddedS3.SECRET_KEY);
                failed.add(ref(vm));
            }
            s3.recover();
            // nothing half-written: the bucket holds what it held when S3 went down, not a bundle more
            assertThat(objectNames("")).containsExactlyInAnyOrderElementsOf(before);

            // Velero ends a Backup with failed items PartiallyFailed
            phase(backup, "PartiallyFailed");
            Cli.Result sealed = seal();
            assertThat(sealed.code()).as(sealed.out() + sealed.err()).isEqualTo(1);
            JsonNode outcome = runOutcome(sealed, "s3-down");
            assertThat(outcome.path("action").asText()).isEqualTo("SEALED");
            List<String> leftOut = new ArrayList<>();
            outcome.path("leftOut").forEach(n -> leftOut.add(n.path("vm").asText()));
            assertThat(leftOut).containsExactlyInAnyOrderElementsOf(failed);
            assertThat(sets()).hasSize(1);
            assertThat(sets().get(0).path("vms").asInt()).isEqualTo(1);
            assertThat(verify().code()).isZero();
        }
    }

    static String ref(JsonNode vm) {
        return vm.path("metadata").path("namespace").asText() + "/"
                + vm.path("metadata").path("name").asText();
    }

    List<String> objectNames(String prefix) {
        return io.vmconfig.adapters.s3.S3BlobStore.open(
                        io.vmconfig.adapters.s3.S3Location.parse(bucketUrl), EmbeddedS3.credentials())
                .list(prefix);
    }

    @Test
    void vmRestoreOnDrSkipsARunningVmFailsOneWithAMissingVolumeAndRestoresTheRestHalted() throws Exception {
        ObjectNode backup = startRun("for-dr", "Completed");
        List<JsonNode> stored = new ArrayList<>();
        for (ObjectNode vm : prodVms()) {
            stored.add(JSON.readTree(BackupItemActionGrpc.newBlockingStub(plugin.channel)
                    .execute(ExecuteRequest.newBuilder()
                            .setPlugin(VM_BACKUP)
                            .setItem(ByteString.copyFrom(JSON.writeValueAsBytes(vm)))
                            .setBackup(ByteString.copyFrom(JSON.writeValueAsBytes(backup)))
                            .build())
                    .getItem()
                    .toByteArray()));
        }
        plugin.close();
        plugin = null;

        // DR: web-01 already runs there; app-03's replicated volume is missing
        ObjectNode running = Json.object().put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        running.putObject("metadata").put("name", "web-01").put("namespace", "prod-apps");
        running.putObject("spec").put("runStrategy", "Always");
        dr.create(running);
        dr.cluster.delete(KubeKind.PVC, "prod-apps", "dr-app-03-disk");
        dr.cluster
                .client()
                .configMaps()
                .inNamespace("velero")
                .resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("vmconfig-volume-map")
                        .withNamespace("velero")
                        .addToLabels("velero.io/plugin-config", "")
                        .addToLabels("vmconfig.io/vm-restore", "RestoreItemActionV2")
                        .endMetadata()
                        .addToData("volume-map.yaml", Files.readString(Path.of(MAP)))
                        .build())
                .create();
        Map<String, String> env = PluginProcess.veleroEnv();
        env.put("KUBECONFIG", dr.kubeconfig.toString());
        ObjectNode restore = Json.object().put("apiVersion", "velero.io/v1").put("kind", "Restore");
        restore.putObject("metadata").put("name", "dr-drill").put("namespace", "velero");
        restore.putObject("spec")
                .put("backupName", "for-dr")
                .putObject("namespaceMapping")
                .put("lab", "lab-dr");
        Map<String, io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteResponse> restored =
                new java.util.HashMap<>();
        Map<String, StatusRuntimeException> failed = new java.util.HashMap<>();
        ObjectNode olderThanApplied = null;
        try (PluginProcess drPlugin = PluginProcess.start(env)) {
            var ria = io.vmconfig.adapters.velero.proto.v2.RestoreItemActionGrpc.newBlockingStub(drPlugin.channel);
            for (JsonNode vm : stored) {
                ObjectNode item = veleroItem(vm);
                String name = item.path("metadata").path("name").asText();
                try {
                    restored.put(name, ria.execute(vmRestore(item, vm, restore)));
                } catch (StatusRuntimeException e) {
                    failed.put(name, e);
                }
                if (name.equals("db-02")) {
                    olderThanApplied = (ObjectNode) vm;
                }
            }
            // sync (or an earlier restore) has meanwhile applied a newer revision of db-02 on DR: the backed-up
            // one is older and is skipped, as sync would skip it
            ObjectNode applied =
                    (ObjectNode) JSON.readTree(restored.get("db-02").getItem().toByteArray());
            ObjectNode a = (ObjectNode) applied.path("metadata").path("annotations");
            assertThat(a.path("vmconfig.io/bundle").asText()).hasSize(64);
            a.put(
                    "vmconfig.io/source-generation",
                    Long.toString(a.path("vmconfig.io/source-generation").asLong() + 1));
            dr.create(applied);
            var again = ria.execute(vmRestore(veleroItem(olderThanApplied), olderThanApplied, restore));
            assertThat(again.getSkipRestore()).isTrue();
            drPlugin.close();
            assertThat(drPlugin.stderr())
                    .anyMatch(l -> l.contains("\"name\":\"web-01\"") && l.contains("is running on DR"));
            assertThat(drPlugin.stderr())
                    .anyMatch(
                            l -> l.contains("\"name\":\"db-02\"") && l.contains("is older than the one applied on DR"));
        }
        assertThat(restored.get("web-01").getSkipRestore()).isTrue();
        assertThat(failed).containsOnlyKeys("app-03");
        assertThat(failed.get("app-03").getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(failed.get("app-03").getStatus().getDescription())
                .contains("app-03")
                .contains("dr-app-03-disk");
        JsonNode db = JSON.readTree(restored.get("db-02").getItem().toByteArray());
        assertThat(restored.get("db-02").getSkipRestore()).isFalse();
        assertThat(db.path("metadata").path("namespace").asText()).isEqualTo("lab-dr");
        assertThat(db.path("spec").path("runStrategy").asText()).isEqualTo("Halted");
        assertThat(db.toString()).contains("dr-db-02-root");
    }

    /** A stored item as Velero hands it to vm-restore: server fields reset, namespace mapped (lab:lab-dr). */
    static ObjectNode veleroItem(JsonNode stored) {
        ObjectNode item = (ObjectNode) stored.deepCopy();
        ObjectNode md = (ObjectNode) item.get("metadata");
        md.remove(List.of("uid", "resourceVersion", "generation", "creationTimestamp"));
        md.put(
                "namespace",
                md.path("namespace").asText().equals("lab")
                        ? "lab-dr"
                        : md.path("namespace").asText());
        return item;
    }

    static io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteRequest vmRestore(
            JsonNode item, JsonNode stored, JsonNode restore) throws Exception {
        return io.vmconfig.adapters.velero.proto.v2.RestoreItemActionExecuteRequest.newBuilder()
                .setPlugin("vmconfig.io/vm-restore")
                .setItem(ByteString.copyFrom(JSON.writeValueAsBytes(item)))
                .setItemFromBackup(ByteString.copyFrom(JSON.writeValueAsBytes(stored)))
                .setRestore(ByteString.copyFrom(JSON.writeValueAsBytes(restore)))
                .build();
    }
}
