package io.vmconfig.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.BindableService;
import io.vmconfig.adapters.fs.FolderBlobStore;
import io.vmconfig.adapters.goplugin.GoPluginServer;
import io.vmconfig.adapters.goplugin.HandshakeEnv;
import io.vmconfig.adapters.goplugin.JsonLogger;
import io.vmconfig.adapters.goplugin.JulBridge;
import io.vmconfig.adapters.goplugin.LogLevel;
import io.vmconfig.adapters.goplugin.ServerArgs;
import io.vmconfig.adapters.kube.KubePluginConfig;
import io.vmconfig.adapters.velero.BackupItemActionService;
import io.vmconfig.adapters.velero.PluginListerService;
import io.vmconfig.adapters.velero.RestoreItemActionService;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.RetryingBlobStore;
import io.vmconfig.core.velero.CoreVmPorts;
import io.vmconfig.core.velero.DrClusterPort;
import io.vmconfig.core.velero.PluginCatalog;
import io.vmconfig.core.velero.StagingPort;
import io.vmconfig.core.velero.VmBackupAction;
import io.vmconfig.core.velero.VmBundles;
import io.vmconfig.core.velero.VmRestoreAction;
import io.vmconfig.core.velero.VolumeRestoreAction;
import io.vmconfig.service.velero.PluginStaging;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Composition root of the Velero plugin process. stdout belongs to the handshake line alone: it is taken before
 * anything can print, and System.out is pointed at stderr for the rest of the process.
 */
public final class PluginMain {
    /** Set by the launcher to the argv[0] Velero used; Velero re-launches the plugin with this path. */
    public static final String COMMAND_PROPERTY = "vmconfig.plugin.command";

    private PluginMain() {}

    public static void main(String[] args) throws InterruptedException {
        PrintStream handshake =
                new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Map<String, String> env = System.getenv();
        if (!HandshakeEnv.launchedByHost(env)) {
            System.err.println(
                    "This is the vmconfig Velero plugin. Velero runs it from its /plugins folder;"
                            + " it is not meant to be started by hand. Use the vmconfig command line (vmconfig --help) instead.");
            System.exit(1);
        }
        JsonLogger log = processSetup(args);
        String command = System.getProperty(COMMAND_PROPERTY, "vmconfig");
        int code = run(env, command, log, handshake);
        System.exit(code);
    }

    /** Logging from Velero's --log-level, library logging routed into it, SIGINT ignored as Go plugins do. */
    static JsonLogger processSetup(String[] args) {
        LogLevel level = ServerArgs.logLevel(args);
        JsonLogger log = new JsonLogger(System.err, level, Clock.systemUTC());
        JulBridge.install(log, level);
        ignoreInterrupts();
        return log;
    }

    /** Serves until GRPCController/Shutdown; returns the process exit code. */
    static int run(Map<String, String> env, String command, JsonLogger log, PrintStream handshake)
            throws InterruptedException {
        return run(
                env,
                command,
                log,
                handshake,
                kube -> new BackupPorts(
                        new VmBundles.Fetch() {
                            @Override
                            public Optional<ObjectNode> get(
                                    String apiVersion, String kind, String namespace, String name) {
                                return kube.object(apiVersion, kind, namespace, name);
                            }

                            @Override
                            public List<Optional<ObjectNode>> getAll(List<VmBundles.Wanted> wanted) {
                                return kube.objects(wanted);
                            }
                        },
                        new PluginStaging(
                                kube,
                                // vm-backup only stages: the sealer makes its objects durable (§11)
                                new RepoUrls(env, RetryingBlobStore.REAL_SLEEP, FolderBlobStore.Durability.AT_SYNC),
                                Clock.systemUTC(),
                                new SecureRandomInBackground())));
    }

    /** What vm-backup reads a VM's dependencies from and where it writes bundles. */
    record BackupPorts(VmBundles.Fetch fetch, StagingPort staging) {}

    /** {@code backup}: vm-backup's reads and writes, bound to the process's cluster client. */
    static int run(
            Map<String, String> env,
            String command,
            JsonLogger log,
            PrintStream handshake,
            Function<KubePluginConfig, BackupPorts> backup)
            throws InterruptedException {
        HandshakeEnv handshakeEnv;
        try {
            handshakeEnv = HandshakeEnv.from(env);
        } catch (VmConfigException e) {
            log.error(e.getMessage(), Map.of());
            return 1;
        }
        try (KubePluginConfig kube = KubePluginConfig.fromEnvironment(env.get("VELERO_NAMESPACE"));
                PluginDrCluster dr = new PluginDrCluster(Clock.systemUTC())) {
            GoPluginServer server = new GoPluginServer(log);
            server.start(handshakeEnv, services(command, kube, backup.apply(kube), dr, log), handshake);
            server.awaitStop();
            log.debug("plugin stopped", Map.of());
            return 0;
        } catch (VmConfigException e) {
            log.error(e.getMessage(), Map.of());
            return 1;
        }
    }

    static List<BindableService> services(
            String command, KubePluginConfig kube, BackupPorts backup, DrClusterPort dr, JsonLogger log) {
        VmBackupAction vmBackup = new VmBackupAction(VmBundles.capture(backup.fetch()), backup.staging());
        VmRestoreAction vmRestore = new VmRestoreAction(CoreVmPorts.drRestore(UUID::randomUUID), kube, Optional.of(dr));
        VolumeRestoreAction volumeRestore = new VolumeRestoreAction(kube);
        return List.of(
                new PluginListerService(command, PluginCatalog.all()),
                new BackupItemActionService(vmBackup, log),
                new RestoreItemActionService(vmRestore, volumeRestore, log));
    }

    private static void ignoreInterrupts() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException e) {
            // no SIGINT on this platform
        }
    }
}
