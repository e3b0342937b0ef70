package io.vmconfig.cli;

import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.log.LogOutput;
import io.vmconfig.adapters.metrics.SyncMetrics;
import io.vmconfig.core.sync.SyncAction;
import io.vmconfig.service.access.WritePermissions;
import io.vmconfig.service.sync.ChangeWatch;
import io.vmconfig.service.sync.ConfigRestoreRunner;
import io.vmconfig.service.sync.ConfigSyncRunner;
import io.vmconfig.service.sync.DrSync;
import io.vmconfig.service.sync.SyncController;
import io.vmconfig.service.sync.SyncPass;
import io.vmconfig.service.sync.SyncService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vmconfig sync}: the scheduled DR restore as a long-running controller ({@link SyncController}). */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        header = "Runs the DR restore as a controller, applying each new set to the DR cluster on a schedule.",
        description = {
            "Applies the latest set into the DR cluster every --interval (as 'restore --context'; a set",
            "that changed nothing writes nothing). Leader election on a Lease; /metrics, /healthz (liveness) and",
            "/readyz on --port; an Event on DR for each VM created, updated, blocked or failed."
        })
public final class SyncCommand extends RepoReadCommand {
    public static final String LEASE = "vmconfig-sync";
    public static final String VERSION = Optional.ofNullable(
                    SyncCommand.class.getPackage().getImplementationVersion())
            .orElse("dev");
    private final KubeConnector connector;
    private final Supplier<UUID> uuids;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile SyncController controller;
    /** Tests: told of the running controller, its metrics and the port, once started. */
    private final java.util.function.Consumer<Running> onStart;

    /** A started controller, for tests. */
    public record Running(SyncController controller, SyncMetrics metrics, int port) {}

    @Mixin
    DrTarget target;

    @Option(
            names = "--interval",
            defaultValue = "5m",
            paramLabel = "DURATION",
            description = "time between sync passes, e.g. 5m or 1h (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--once", description = "one pass, then exit with restore's exit code")
    boolean once;

    @Option(
            names = "--port",
            defaultValue = "8080",
            paramLabel = "PORT",
            description = "port of /metrics, /healthz and /readyz, 0 for any, -1 for none (default: ${DEFAULT-VALUE})")
    int port;

    // negatable with default true: the fallback value makes "--leader-elect" true and "--no-leader-elect" false
    // (picocli otherwise sets a negatable option to the opposite of its default, which inverted both forms)
    @Option(
            names = "--leader-elect",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "take the Lease " + LEASE + " in --state-namespace before syncing (default: ${DEFAULT-VALUE})")
    boolean leaderElect;

    @Option(names = "--identity", paramLabel = "NAME", description = "leader identity (default: $HOSTNAME or a UUID)")
    String identity;

    @Option(
            names = "--log-format",
            defaultValue = "auto",
            paramLabel = "FORMAT",
            description =
                    "json (one object per line), text, or auto: text on a terminal, else json (default: ${DEFAULT-VALUE})")
    LogOutput.Format logFormat;

    @Option(
            names = "--config-sync",
            paramLabel = "NAMESPACE/NAME",
            description = "run this ConfigSync object (deploy/crds; repeatable) instead of --repo/--map flags:"
                    + " repository, Secrets, VolumeMap and options come from its spec, its status is written back")
    List<String> configSyncs = new java.util.ArrayList<>();

    @Option(
            names = "--all-config-syncs",
            description = "run every ConfigSync in --state-namespace (each on its own spec.interval)")
    boolean allConfigSyncs;

    @Option(
            names = "--config-restores",
            description = "also act on tenants' ConfigRestore requests in every namespace, each once per generation,"
                    + " after each pass (alone: only them); allowed by RepositoryGrants (docs/permissions.md)")
    boolean configRestores;

    @Option(
            names = "--watch",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Wake the controller within seconds when a ConfigRestore, ConfigSync or VolumeMap it serves is"
                            + " created or its spec changes, instead of at the next --interval (default: ${DEFAULT-VALUE}).")
    boolean watch;

    @Option(
            names = "--events",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "record a Kubernetes Event on DR for each VM created, updated, blocked or failed (default: ${DEFAULT-VALUE})")
    boolean events;

    public SyncCommand(RepoEnvironment env, KubeConnector connector, Supplier<UUID> uuids) {
        this(env, connector, uuids, r -> {});
    }

    public SyncCommand(
            RepoEnvironment env,
            KubeConnector connector,
            Supplier<UUID> uuids,
            java.util.function.Consumer<Running> onStart) {
        super(env);
        this.connector = connector;
        this.uuids = uuids;
        this.onStart = onStart;
    }

    /** Ends the loop after the current pass (the JVM's shutdown hook calls it too). */
    public void stop() {
        SyncController c = controller;
        if (c != null) {
            c.stop();
        }
        stop.countDown();
    }

    boolean leaderElect() {
        return leaderElect;
    }

    @Override
    public Integer call() {
        Duration every = Durations.parse(interval, "--interval");
        String me = identity != null
                ? identity
                : System.getenv().getOrDefault("HOSTNAME", uuids.get().toString());
        try (LogOutput log = LogOutput.install(err(), logFormat, env.clock());
                KubeCluster dr = target.kube.connect(connector)) {
            SyncService service =
                    new SyncService(dr, VERSION, env.clock(), target.kube.stateNamespace(), LEASE, me, events, !once);
            if (allConfigSyncs || !configSyncs.isEmpty()) {
                return configSyncs(dr, service, me, every);
            }
            if (configRestores && repo.repo == null) {
                return once ? restoresOnce(dr, service) : loop(dr, service, me, every, n -> true);
            }
            DrSync sync = target.sync(dr, uuids, env.clock(), false);
            WritePermissions.beforeSync(
                    dr, sync, target.kube.stateNamespace(), leaderElect && !once, events, env.clock());
            SyncPass pass = service.pass(sync, () -> repo.reader(env), target.set, target.pruneDeleted);
            if (once) {
                SyncPass.Result r = pass.run(1, new ProgressPrinter(err()));
                Map<SyncAction, Integer> c = PlanPrinter.counts(r.report().plans());
                err().println("set " + r.report().setId() + ": " + c + ", objects written "
                        + r.applied().objectsWritten());
                PlanPrinter.print(out(), output, r.report(), r.applied());
                return Math.max(DrTarget.exitCode(r.report(), r.applied()), restoresOnce(dr, service));
            }
            return loop(
                    dr,
                    service,
                    me,
                    every,
                    n -> pass.run(n, io.vmconfig.core.repo.Progress.NONE).complete());
        }
    }

    /** {@code --config-sync}/{@code --all-config-syncs}: the ConfigSync objects drive the passes and get the status. */
    private int configSyncs(KubeCluster dr, SyncService service, String me, Duration every) {
        if (allConfigSyncs == !configSyncs.isEmpty()) {
            throw io.vmconfig.core.VmConfigException.config(
                    "give --config-sync NAMESPACE/NAME... or --all-config-syncs," + " not both");
        }
        List<io.vmconfig.core.vm.VmRef> named =
                configSyncs.isEmpty() ? List.of() : ClusterCommand.targets(false, configSyncs);
        ConfigSyncRunner runner = service.configSyncs(
                uuids,
                new ConfigSyncRepos(env),
                (s, repo, prune) -> {
                    // the same pre-flight as a single sync: nothing is written without every permission
                    WritePermissions.beforeSync(
                            dr, s, target.kube.stateNamespace(), leaderElect && !once, events, env.clock());
                    return service.pass(s, repo, "latest", prune);
                },
                v -> Durations.parse(v, "spec.interval"));
        String ns = target.kube.stateNamespace();
        if (once) {
            List<ConfigSyncRunner.Outcome> outcomes = runner.run(named, ns, 1, true);
            com.fasterxml.jackson.databind.node.ObjectNode all = io.vmconfig.core.json.Json.object();
            int code = ExitCodes.OK;
            for (ConfigSyncRunner.Outcome o : outcomes) {
                all.withArray("configSyncs")
                        .addObject()
                        .put("name", o.ref().toString())
                        .set("status", o.status());
                code = Math.max(
                        code,
                        o.error()
                                .map(k -> ExitCodes.of(new io.vmconfig.core.VmConfigException(k, "")))
                                .orElse(o.result()
                                        .map(r -> DrTarget.exitCode(r.report(), r.applied()))
                                        .orElse(ExitCodes.OK)));
                if (output == OutputFormat.table) {
                    out().println("ConfigSync " + o.ref() + ": "
                            + o.status().path("conditions").toString());
                    o.result().ifPresent(r -> PlanPrinter.print(out(), output, r.report(), r.applied()));
                }
            }
            Emit.structured(out(), output, all);
            return Math.max(code, restoresOnce(dr, service));
        }
        return loop(
                dr,
                service,
                me,
                every,
                n -> runner.run(named, ns, n, false).stream().allMatch(ConfigSyncRunner.Outcome::complete));
    }

    private ConfigRestoreRunner restores(KubeCluster dr, SyncService service) {
        return service.configRestores(uuids, new ConfigSyncRepos(env));
    }

    /** {@code --once --config-restores}: one round; 0 when every request run completed, else 1 (see their status). */
    private int restoresOnce(KubeCluster dr, SyncService service) {
        if (!configRestores) {
            return ExitCodes.OK;
        }
        int code = ExitCodes.OK;
        for (ConfigRestoreRunner.Outcome o : restores(dr, service).run()) {
            err().println("ConfigRestore " + o.ref() + ": "
                    + o.status().path("phase").asText() + " ("
                    + o.status().path("reason").asText() + ") "
                    + o.status().path("message").asText());
            code = o.succeeded() ? code : ExitCodes.PARTIAL;
        }
        return code;
    }

    /**
     * What the controller watches (with {@code --watch}): tenants' ConfigRestores everywhere, the ConfigSyncs it runs
     * and the VolumeMaps beside them. A single sync from flags has nothing to watch: its map is read once at start.
     */
    List<ChangeWatch.Target> watched() {
        if (!watch) {
            return List.of();
        }
        java.util.Set<String> namespaces = new java.util.TreeSet<>();
        if (allConfigSyncs) {
            namespaces.add(target.kube.stateNamespace());
        }
        if (!configSyncs.isEmpty()) {
            ClusterCommand.targets(false, configSyncs).forEach(r -> namespaces.add(r.namespace()));
        }
        return ChangeWatch.targets(configRestores, namespaces);
    }

    /** The controller: passes every {@code every} while this replica leads, until stopped. */
    private int loop(KubeCluster dr, SyncService service, String me, Duration every, SyncController.Pass sync) {
        // a request's outcome is its status, never the pass's: tenants' mistakes do not fail the controller
        ConfigRestoreRunner requests = configRestores ? restores(dr, service) : null;
        SyncController.Pass passes = requests == null
                ? sync
                : n -> {
                    try {
                        return sync.run(n);
                    } finally {
                        requests.run();
                    }
                };
        service.loop(
                passes,
                watched(),
                every,
                env.random()::nextDouble,
                port,
                leaderElect,
                me,
                stop,
                c -> controller = c,
                (c, p) -> onStart.accept(new Running(c, service.metrics(), p)));
        return ExitCodes.OK;
    }
}
