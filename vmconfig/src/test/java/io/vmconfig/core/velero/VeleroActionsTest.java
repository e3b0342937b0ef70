package io.vmconfig.core.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.VmSnapshot;
import io.vmconfig.core.sync.SiteActivation;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VeleroActionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode obj(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final ObjectNode VM = obj("{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\","
            + "\"metadata\":{\"name\":\"web\",\"namespace\":\"prod\"},\"status\":{\"ready\":true}}");

    /** A capture double that strips status and names one Secret and one PVC as dependencies. */
    private static final VmCapturePort FILTER = (vm, origin) -> {
        ObjectNode c = vm.deepCopy();
        c.remove("status");
        return new CapturedVm(
                new VmSnapshot(new VmRef("prod", "web"), "", 0, c, List.of()),
                List.of(
                        new ResourceRef("", "secrets", "prod", "s"),
                        new ResourceRef("", "persistentvolumeclaims", "prod", "root"),
                        new ResourceRef("", "secrets", "prod", "s")));
    };

    @Test
    void theItemVeleroStoresIsTheVmTheBundleStores() {
        ObjectNode vm = obj("""
                {"apiVersion":"kubevirt.io/v1","kind":"VirtualMachine",
                 "metadata":{"name":"web","namespace":"prod","uid":"u-1","generation":4,"resourceVersion":"9"},
                 "spec":{"runStrategy":"Always","template":{"spec":{
                   "domain":{"devices":{"disks":[{"name":"root","disk":{}},{"name":"ci","disk":{}}]}},
                   "volumes":[{"name":"root","persistentVolumeClaim":{"claimName":"web-root"}},
                              {"name":"ci","cloudInitNoCloud":{"secretRef":{"name":"web-ci"}}}]}}},
                 "status":{"ready":true}}""");
        ObjectNode pvc = obj("""
                {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"web-root","namespace":"prod"},
                 "spec":{"storageClassName":"longhorn","accessModes":["ReadWriteMany"],"volumeMode":"Block",
                         "resources":{"requests":{"storage":"10Gi"}}}}""");
        ObjectNode secret = obj("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"web-ci","namespace":"prod"},
                 "data":{"userdata":"I2Nsb3VkLWNvbmZpZw=="}}""");
        List<String> fetched = new ArrayList<>();
        VmBundles.Fetch fetch = (apiVersion, kind, ns, name) -> {
            fetched.add(kind + " " + ns + "/" + name);
            return switch (kind) {
                case "PersistentVolumeClaim" -> Optional.of(pvc.deepCopy());
                case "Secret" -> Optional.of(secret.deepCopy());
                default -> Optional.empty();
            };
        };
        List<VmSnapshot> staged = new ArrayList<>();
        StagingPort staging = (backup, snapshot) -> {
            staged.add(snapshot);
            return java.util.Map.of("vmconfig.io/bundle", "b-1");
        };
        ObjectNode input = vm.deepCopy();
        BackupResult r = new VmBackupAction(VmBundles.capture(fetch), staging)
                .execute(
                        input,
                        obj("{\"metadata\":{\"name\":\"b\",\"labels\":{\"vmconfig.io/config-only\":\"true\"}}}"));

        assertThat(input).as("input not mutated").isEqualTo(vm);
        assertThat(fetched).containsExactlyInAnyOrder("Secret prod/web-ci", "PersistentVolumeClaim prod/web-root");
        assertThat(staged).hasSize(1);
        ObjectNode item = r.item().deepCopy();
        ObjectNode annotations = (ObjectNode) item.path("metadata").path("annotations");
        for (String velero : List.of(
                ConfigOnlyOption.BACKUP_MODE_ANNOTATION,
                VmBackupAction.MUST_INCLUDE_ADDITIONAL_ITEMS,
                "vmconfig.io/bundle")) {
            assertThat(annotations.remove(velero)).as(velero).isNotNull();
        }
        assertThat(item).isEqualTo(staged.get(0).vm());
        // the claim record carries what the PVC said, in the item as in the bundle
        assertThat(Items.annotation(r.item(), "vmconfig.io/claims"))
                .contains("longhorn")
                .contains("10Gi");
        assertThat(staged.get(0).dependencies())
                .extracting(d -> d.path("kind").asText())
                .containsExactly("Secret");
        assertThat(r.additionalItems()).containsExactly(new ResourceRef("", "secrets", "prod", "web-ci"));
    }

    @Test
    void backupWithoutTheOptionReturnsTheItemUntouched() {
        BackupResult r = new VmBackupAction((vm, o) -> {
                    throw new AssertionError("filter must not run");
                })
                .execute(VM, obj("{\"metadata\":{\"name\":\"b\"}}"));
        assertThat(r.item()).isEqualTo(VM);
        assertThat(r.additionalItems()).isEmpty();
    }

    @Test
    void backupWithEitherLabelIsConfigOnlyAndNeverReturnsVolumes() {
        for (String label : List.of("vmconfig.io/config-only", "velero.kubevirt.io/metadataBackup")) {
            BackupResult r = new VmBackupAction(FILTER)
                    .execute(VM, obj("{\"metadata\":{\"name\":\"b\",\"labels\":{\"" + label + "\":\"true\"}}}"));
            assertThat(r.item().has("status")).isFalse();
            assertThat(r.item().path("kind").asText()).isEqualTo("VirtualMachine");
            assertThat(ConfigOnlyOption.markedConfigOnly(r.item())).isTrue();
            assertThat(Items.annotation(r.item(), VmBackupAction.MUST_INCLUDE_ADDITIONAL_ITEMS))
                    .isEqualTo("true");
            assertThat(r.additionalItems()).containsExactly(new ResourceRef("", "secrets", "prod", "s"));
            assertThat(VM.has("status")).as("input not mutated").isTrue();
        }
        BackupResult notTrue = new VmBackupAction(FILTER)
                .execute(VM, obj("{\"metadata\":{\"labels\":{\"vmconfig.io/config-only\":\"false\"}}}"));
        assertThat(notTrue.item()).isEqualTo(VM);
    }

    @Test
    void itemsWithoutKindAreRejectedByName() {
        ObjectNode noKind = VM.deepCopy();
        noKind.remove("kind");
        assertThatThrownBy(() -> new VmBackupAction(FILTER).execute(noKind, obj("{}")))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("prod/web")
                .hasMessageContaining("kind");
    }

    private static PluginConfigPort config(Optional<String> map, Optional<JsonNode> backup, List<String> calls) {
        return new PluginConfigPort() {
            @Override
            public Optional<String> volumeMapYaml() {
                calls.add("map");
                return map;
            }

            @Override
            public Optional<JsonNode> backup(String namespace, String name) {
                calls.add("backup " + namespace + "/" + name);
                return backup;
            }
        };
    }

    @Test
    void restoreTransformsOnlyConfigOnlyVmsAndBlocksWithReasons() {
        List<String> calls = new ArrayList<>();
        ObjectNode marked = VM.deepCopy();
        Items.annotate(marked, ConfigOnlyOption.BACKUP_MODE_ANNOTATION, ConfigOnlyOption.CONFIG_ONLY);
        DrRestorePort halt = (vm, yaml, inventory, origin) -> {
            ((ObjectNode) vm).putObject("spec").put("runStrategy", "Halted");
            return DrVerdict.restored(vm);
        };
        VmRestoreAction action =
                new VmRestoreAction(halt, config(Optional.of("mode: failover"), Optional.empty(), calls));
        assertThat(action.execute(VM, VM, obj("{}")).item()).isEqualTo(VM);
        assertThat(calls).isEmpty();
        assertThat(action.execute(marked, marked, obj("{}"))
                        .item()
                        .path("spec")
                        .path("runStrategy")
                        .asText())
                .isEqualTo("Halted");

        VmRestoreAction blocked = new VmRestoreAction(
                (vm, y, i, o) -> DrVerdict.blocked(List.of("claim prod/root" + " matches no rule")),
                config(Optional.of("x"), Optional.empty(), calls));
        assertThatThrownBy(() -> blocked.execute(marked, marked, obj("{}")))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.BLOCKED))
                .hasMessageContaining("VirtualMachine prod/web")
                .hasMessageContaining("claim prod/root");

        VmRestoreAction elsewhere = new VmRestoreAction(
                (vm, y, i, o) -> {
                    ((ObjectNode) vm.get("metadata")).put("namespace", "prod-dr");
                    return DrVerdict.restored(vm);
                },
                config(Optional.of("x"), Optional.empty(), calls));
        assertThatThrownBy(() -> elsewhere.execute(marked, marked, obj("{}")))
                .hasMessageContaining("--namespace-mappings prod:prod-dr");
        ObjectNode velerosCopy = marked.deepCopy();
        ((ObjectNode) velerosCopy.get("metadata")).put("namespace", "prod-dr");
        assertThat(elsewhere
                        .execute(velerosCopy, marked, obj("{}"))
                        .item()
                        .path("metadata")
                        .path("namespace")
                        .asText())
                .isEqualTo("prod-dr");

        VmRestoreAction noMap = new VmRestoreAction(halt, config(Optional.empty(), Optional.empty(), calls));
        assertThatThrownBy(() -> noMap.execute(marked, marked, obj("{}")))
                .hasMessageContaining("no vm-restore plugin ConfigMap");
    }

    /** The DR cluster vm-restore reads: the activation flag and one VM, as the adapter would return them. */
    private static DrClusterPort drCluster(boolean siteActivated, ObjectNode drVm) {
        return drCluster(new SiteActivation(siteActivated, Set.of()), drVm);
    }

    /** The DR cluster vm-restore reads: the site's activation (and failbacks since) and one VM. */
    private static DrClusterPort drCluster(SiteActivation site, ObjectNode drVm) {
        return new DrClusterPort() {
            @Override
            public SiteActivation site() {
                return site;
            }

            @Override
            public io.vmconfig.core.preflight.DrInventory inventory(String restore) {
                return io.vmconfig.core.preflight.DrInventory.of(List.of());
            }

            @Override
            public Optional<io.vmconfig.core.sync.DrVm> vm(io.vmconfig.core.vm.VmRef target) {
                return Optional.ofNullable(drVm).map(v -> new io.vmconfig.core.sync.DrVm(v, false));
            }

            @Override
            public void admitted(String restore, ObjectNode vm) {}
        };
    }

    @Test
    void vmRestoreAsksTheSameDrSafetyDecisionAsSync() {
        ObjectNode marked = VM.deepCopy();
        Items.annotate(marked, ConfigOnlyOption.BACKUP_MODE_ANNOTATION, ConfigOnlyOption.CONFIG_ONLY);
        DrRestorePort identity = (vm, yaml, inventory, origin) -> DrVerdict.restored(vm);
        ObjectNode halted = obj("{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\",\"metadata\":"
                + "{\"name\":\"web\",\"namespace\":\"prod\",\"labels\":{\"vmconfig.io/managed\":\"true\"}},"
                + "\"spec\":{\"runStrategy\":\"Halted\"}}");
        ObjectNode activated = halted.deepCopy();
        Items.annotate(activated, io.vmconfig.core.vm.Annotations.ACTIVATED_AT, "2026-01-03T00:00:00Z");
        ObjectNode running = halted.deepCopy();
        ((ObjectNode) running.get("spec")).put("runStrategy", "Always");
        ObjectNode foreign = halted.deepCopy();
        ((ObjectNode) foreign.get("metadata")).remove("labels");
        List<String> calls = new ArrayList<>();
        java.util.function.BiFunction<Boolean, ObjectNode, RestoreResult> run = (site, dr) -> new VmRestoreAction(
                        identity, config(Optional.of("x"), Optional.empty(), calls), Optional.of(drCluster(site, dr)))
                .execute(marked, marked, obj("{}"));
        assertThat(run.apply(false, halted).skipRestore()).isFalse();
        assertThat(run.apply(false, null).skipRestore()).isFalse();
        assertThat(run.apply(true, null).skipRestore()).isTrue();
        assertThat(run.apply(true, null).why()).contains("DR site is activated");
        assertThat(run.apply(false, activated).why()).contains("was activated on DR");
        assertThat(run.apply(false, running).why()).contains("running on DR");
        assertThat(run.apply(false, running).code())
                .as("the DR-safety decision's code, as sync reports it")
                .isEqualTo(io.vmconfig.core.sync.ReasonCodes.RUNNING);
        assertThat(run.apply(true, null).code()).isEqualTo(io.vmconfig.core.sync.ReasonCodes.ACTIVATED);
        assertThat(run.apply(false, activated).code()).isEqualTo(io.vmconfig.core.sync.ReasonCodes.VM_ACTIVATED);
        assertThat(run.apply(false, halted).code()).as("not skipped").isEmpty();
        // --existing-resource-policy=update: Velero patches an existing object only when the action did not skip it
        RestoreResult update = new VmRestoreAction(
                        identity,
                        config(Optional.of("x"), Optional.empty(), calls),
                        Optional.of(drCluster(false, running)))
                .execute(
                        marked, marked, obj("{\"spec\":{\"backupName\":\"b\",\"existingResourcePolicy\":\"update\"}}"));
        assertThat(update.skipRestore())
                .as("a running DR VM is never handed to Velero's update")
                .isTrue();
        assertThat(update.code()).isEqualTo(io.vmconfig.core.sync.ReasonCodes.RUNNING);
        ObjectNode foreignRunning = running.deepCopy();
        ((ObjectNode) foreignRunning.get("metadata")).remove("labels");
        assertThat(run.apply(false, foreignRunning).why())
                .as("running first, whoever manages it")
                .contains("running on DR");
        assertThatThrownBy(() -> run.apply(false, foreign))
                .isInstanceOfSatisfying(
                        io.vmconfig.core.sync.SafetyRefused.class,
                        e -> assertThat(e.verdict().code()).isEqualTo(io.vmconfig.core.sync.ReasonCodes.UNMANAGED_VM))
                .hasMessageContaining("prod/web");
    }

    /**
     * A VM failed back after the DR site was activated is the sync's again, and vm-restore's: restored (halted) by
     * Velero while every VM the activation still covers is skipped with the site's reason, one rule
     * ({@link SiteActivation#covers}) for both; a failed-back VM the map cannot place fails, never skipped.
     */
    @Test
    void vmRestoreRestoresAVmFailedBackSinceTheSiteWasActivatedAndSkipsTheOthers() {
        DrRestorePort identity = (vm, yaml, inventory, origin) -> DrVerdict.restored(vm);
        DrRestorePort blocked = (vm, yaml, inventory, origin) -> DrVerdict.blocked(List.of("claim prod/root unmapped"));
        SiteActivation site = new SiteActivation(true, Set.of(new VmRef("prod", "web")));
        java.util.function.BiFunction<DrRestorePort, String, RestoreResult> run = (restore, name) -> {
            ObjectNode marked = VM.deepCopy();
            ((ObjectNode) marked.get("metadata")).put("name", name);
            Items.annotate(marked, ConfigOnlyOption.BACKUP_MODE_ANNOTATION, ConfigOnlyOption.CONFIG_ONLY);
            return new VmRestoreAction(
                            restore,
                            config(Optional.of("x"), Optional.empty(), new ArrayList<>()),
                            Optional.of(drCluster(site, null)))
                    .execute(marked, marked, obj("{}"));
        };
        RestoreResult web = run.apply(identity, "web");
        assertThat(web.skipRestore()).as(web.why()).isFalse();
        assertThat(web.item().path("metadata").path("name").asText()).isEqualTo("web");
        RestoreResult db = run.apply(identity, "db");
        assertThat(db.skipRestore()).isTrue();
        assertThat(db.why()).contains("DR site is activated");

        // the restore cannot place it: the failed-back VM fails with its reasons, the covered one is still skipped
        assertThatThrownBy(() -> run.apply(blocked, "web"))
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("claim prod/root unmapped");
        assertThat(run.apply(blocked, "db").skipRestore()).isTrue();
    }

    /**
     * Failback through Velero: the item is a DR copy whose {@code vmconfig.io/origin-uid} is the uid of the
     * production VM still there, unmanaged and halted: vm-restore adopts it (the DR-safety decision's ADOPTED), and
     * still refuses any other unmanaged VM of that name and skips the original while it runs.
     */
    @Test
    void vmRestoreAdoptsTheHaltedOriginalItsItemWasCopiedFrom() {
        ObjectNode copy = VM.deepCopy();
        Items.annotate(copy, ConfigOnlyOption.BACKUP_MODE_ANNOTATION, ConfigOnlyOption.CONFIG_ONLY);
        Items.annotate(copy, io.vmconfig.core.vm.Annotations.ORIGIN_UID, "uid-of-the-original");
        DrRestorePort identity = (vm, yaml, inventory, origin) -> DrVerdict.restored(vm);
        ObjectNode original = obj("{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\",\"metadata\":"
                + "{\"name\":\"web\",\"namespace\":\"prod\",\"uid\":\"uid-of-the-original\"},"
                + "\"spec\":{\"runStrategy\":\"Halted\"},\"status\":{\"printableStatus\":\"Stopped\"}}");
        ObjectNode another = original.deepCopy();
        ((ObjectNode) another.get("metadata")).put("uid", "uid-of-another-vm");
        ObjectNode runningOriginal = original.deepCopy();
        ((ObjectNode) runningOriginal.get("spec")).put("runStrategy", "Always");
        List<String> calls = new ArrayList<>();
        java.util.function.Function<ObjectNode, RestoreResult> run = target -> new VmRestoreAction(
                        identity,
                        config(Optional.of("x"), Optional.empty(), calls),
                        Optional.of(drCluster(false, target)))
                .execute(copy, copy, obj("{}"));

        RestoreResult adopted = run.apply(original);
        assertThat(adopted.skipRestore()).isFalse();
        assertThat(adopted.item()
                        .at("/metadata/annotations")
                        .path(io.vmconfig.core.vm.Annotations.ORIGIN_UID)
                        .asText())
                .isEqualTo("uid-of-the-original");
        assertThatThrownBy(() -> run.apply(another))
                .isInstanceOfSatisfying(
                        io.vmconfig.core.sync.SafetyRefused.class,
                        e -> assertThat(e.verdict().code()).isEqualTo(io.vmconfig.core.sync.ReasonCodes.UNMANAGED_VM));
        assertThat(run.apply(runningOriginal).skipRestore())
                .as("a running original is never touched")
                .isTrue();
        // the same item without the origin uid is an unmanaged VM in the way, as before
        ObjectNode plain = copy.deepCopy();
        ((ObjectNode) plain.at("/metadata/annotations")).remove(io.vmconfig.core.vm.Annotations.ORIGIN_UID);
        assertThatThrownBy(() -> new VmRestoreAction(
                                identity,
                                config(Optional.of("x"), Optional.empty(), calls),
                                Optional.of(drCluster(false, original)))
                        .execute(plain, plain, obj("{}")))
                .isInstanceOf(io.vmconfig.core.sync.SafetyRefused.class);
    }

    @Test
    void vmRestoreRefusesWhatKubeVirtWouldRefuseAndAnUnplacedClaimWithEveryReason() {
        ObjectNode vm = obj("{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\",\"metadata\":"
                + "{\"name\":\"web\",\"namespace\":\"prod\"},\"spec\":{\"running\":true,\"runStrategy\":\"Always\","
                + "\"template\":{\"spec\":{\"domain\":{\"devices\":{\"disks\":[{\"name\":\"root\",\"disk\":{}}]}},"
                + "\"volumes\":[{\"name\":\"root\",\"persistentVolumeClaim\":{\"claimName\":20260101}}]}}}}");
        Items.annotate(vm, ConfigOnlyOption.BACKUP_MODE_ANNOTATION, ConfigOnlyOption.CONFIG_ONLY);
        VmRestoreAction real = new VmRestoreAction(
                CoreVmPorts.drRestore(java.util.UUID::randomUUID),
                config(
                        Optional.of("apiVersion: vmconfig.io/v1\nkind: VolumeMap\nrules: [{prefix: dr-}]\n"),
                        Optional.empty(),
                        new ArrayList<>()));
        assertThatThrownBy(() -> real.execute(vm, vm, obj("{}")))
                .isInstanceOfSatisfying(
                        VmConfigException.class, e -> assertThat(e.kind()).isEqualTo(VmConfigException.Kind.BLOCKED))
                .hasMessageContaining("RUNNING_AND_RUN_STRATEGY at spec.running")
                .hasMessageContaining("INVALID_CLAIM_REFERENCE at spec.template.spec.volumes[0]"
                        + ".persistentVolumeClaim.claimName");
    }

    @Test
    void volumesOfConfigOnlyBackupsAreSkippedAndTheBackupIsReadOnce() {
        List<String> calls = new ArrayList<>();
        ObjectNode pvc = obj("{\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"root\"}}");
        VolumeRestoreAction action = new VolumeRestoreAction(config(
                Optional.empty(),
                Optional.of(obj("{\"metadata\":{\"labels\":{\"vmconfig.io/config-only\":\"true\"}}}")),
                calls));
        JsonNode restore =
                obj("{\"metadata\":{\"name\":\"r\",\"namespace\":\"velero\"},\"spec\":{\"backupName\":\"b\"}}");
        assertThat(action.execute(pvc, restore).skipRestore()).isTrue();
        assertThat(action.execute(pvc, restore).skipRestore()).isTrue();
        assertThat(calls).containsExactly("backup velero/b");

        VolumeRestoreAction unknownBackup =
                new VolumeRestoreAction(config(Optional.empty(), Optional.empty(), new ArrayList<>()));
        RestoreResult r = unknownBackup.execute(pvc, restore);
        assertThat(r.skipRestore()).isFalse();
        assertThat(r.item()).isEqualTo(pvc);
    }

    @Test
    void catalogListsV2KindsAndRejectsUnknownNames() {
        assertThat(PluginCatalog.all())
                .extracting(PluginSpec::kind)
                .containsOnly(ActionKind.BACKUP_ITEM_ACTION_V2, ActionKind.RESTORE_ITEM_ACTION_V2);
        assertThat(PluginCatalog.require(ActionKind.RESTORE_ITEM_ACTION_V2, PluginCatalog.VOLUME_RESTORE)
                        .resources())
                .containsExactly("persistentvolumeclaims", "datavolumes.cdi.kubevirt.io");
        assertThatThrownBy(() -> PluginCatalog.require(ActionKind.BACKUP_ITEM_ACTION_V2, PluginCatalog.VM_RESTORE))
                .hasMessageContaining("BackupItemActionV2 plugin: vmconfig.io/vm-restore was not found");
        assertThatThrownBy(() -> new PluginSpec("velero.io/x/y", ActionKind.BACKUP_ITEM_ACTION_V2, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PluginSpec("Upper.io/x", ActionKind.BACKUP_ITEM_ACTION_V2, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resourceNamesFollowKubernetesPlurals() {
        assertThat(ResourceNames.of("v1", "Secret", "ns", "s")).isEqualTo(new ResourceRef("", "secrets", "ns", "s"));
        assertThat(ResourceNames.of("apps/v1", "ControllerRevision", "ns", "r").group())
                .isEqualTo("apps");
        assertThat(ResourceNames.plural("VirtualMachineClusterPreference"))
                .isEqualTo("virtualmachineclusterpreferences");
        assertThat(ResourceNames.plural("NetworkAttachmentDefinition")).isEqualTo("network-attachment-definitions");
        assertThat(ResourceNames.plural("Policy")).isEqualTo("policies");
        assertThat(ResourceNames.isConfigDependency(new ResourceRef("cdi.kubevirt.io", "datavolumes", "n", "d")))
                .isFalse();
        assertThat(ResourceNames.isConfigDependency(new ResourceRef("", "configmaps", "n", "c")))
                .isTrue();
    }
}
