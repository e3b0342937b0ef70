package io.vmconfig.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RootObject;
import io.vmconfig.core.velero.SealOutcome;
import io.vmconfig.service.velero.SealService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vmconfig seal}: turns the runs the Velero plugin staged into signed sets once their Backup completed
 * (repository-format.md §11). Holds the signing key; the plugin never does. Restart-safe: all state is in the
 * repository and the Backup objects.
 */
@Command(
        name = "seal",
        mixinStandardHelpOptions = true,
        header = "Turns what the Velero plugin staged for each finished Velero Backup into a signed set.",
        description = {
            "Seals the runs vm-backup staged: a set for each Velero Backup that is Completed or",
            "PartiallyFailed (VMs that failed left out and named), nothing for a Failed, deleted or abandoned one.",
            "Reads Backups in the production cluster; writes only to the repository."
        })
public final class SealCommand extends RepoReadCommand {
    private final KubeConnector connector;
    private final CountDownLatch stop = new CountDownLatch(1);

    @Mixin
    KubeOptions kube;

    @Option(names = "--signing-key", required = true, paramLabel = "FILE", description = "Ed25519 private key")
    Path signingKey;

    @Option(
            names = "--velero-namespace",
            defaultValue = "velero",
            paramLabel = "NS",
            description = "namespace of the Velero Backups (default: ${DEFAULT-VALUE})")
    String veleroNamespace;

    @Option(
            names = "--source-cluster",
            defaultValue = "production",
            paramLabel = "NAME",
            description = "source cluster recorded in each set (default: ${DEFAULT-VALUE})")
    String sourceCluster;

    @Option(names = "--watch", description = "keep sealing every --interval until stopped")
    boolean watch;

    @Option(
            names = "--interval",
            defaultValue = "30s",
            paramLabel = "DURATION",
            description = "with --watch: time between seal passes, e.g. 30s or 5m (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(
            names = "--health-port",
            defaultValue = "-1",
            paramLabel = "PORT",
            description = "with --watch: /healthz (fails when no pass finished within 3 x --interval + 5 s) and /readyz"
                    + " on this port, -1 for none (default: ${DEFAULT-VALUE})")
    int healthPort;

    public SealCommand(RepoEnvironment env, KubeConnector connector) {
        super(env);
        this.connector = connector;
    }

    /** Ends --watch after the current pass. */
    public void stop() {
        stop.countDown();
    }

    @Override
    public Integer call() {
        Duration every = Durations.parse(interval, "--interval");
        BlobStore store = repo.store(env);
        RootObject root = RepoReader.readRoot(store);
        PrivateKey sk = KeyFiles.privateKey(signingKey);
        PublicKey pk = root.signerFor(sk)
                .orElseThrow(() -> VmConfigException.config("the signing key is not one of this repository's signers"));
        try (KubeCluster cluster = kube.connect(connector)) {
            SealService seal = new SealService(
                    cluster,
                    veleroNamespace,
                    store,
                    sk,
                    pk,
                    repo.repositoryKey(),
                    env.clock(),
                    env.random(),
                    VersionProvider.version());
            if (!watch) {
                return print(seal.sealOnce(sourceCluster));
            }
            Thread hook = new Thread(this::stop, "vmconfig-seal-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            seal.watch(sourceCluster, every, healthPort, stop, this::print, e -> {
                err().println("seal pass failed, retrying in " + interval + ": " + e.getMessage());
                err().flush();
            });
            return ExitCodes.OK;
        }
    }

    private int print(List<SealOutcome> outcomes) {
        PrintWriter out = out();
        ObjectNode t = Json.object();
        List<List<String>> rows = new ArrayList<>();
        for (SealOutcome o : outcomes) {
            ObjectNode r = t.withArray("runs")
                    .addObject()
                    .put("run", o.run())
                    .put("action", o.action().name())
                    .put("reason", o.reason());
            if (o.set() != null) {
                r.put("set", o.set().value());
            }
            o.leftOut()
                    .forEach((vm, why) -> r.withArray("leftOut")
                            .addObject()
                            .put("vm", vm.toString())
                            .put("reason", why));
            rows.add(List.of(
                    o.run(), o.action().name(), o.set() == null ? "-" : o.set().value(), o.reason()));
        }
        if (!Emit.structured(out, output, t)) {
            Emit.table(out, List.of("RUN", "ACTION", "SET", "WHY"), rows);
            outcomes.forEach(o ->
                    o.leftOut().forEach((vm, why) -> out.println("left out of " + o.run() + ": " + vm + ": " + why)));
        }
        out.flush();
        boolean partial =
                outcomes.stream().anyMatch(o -> !o.leftOut().isEmpty() && o.action() == SealOutcome.Action.SEALED);
        if (outcomes.stream().anyMatch(o -> o.action() == SealOutcome.Action.REFUSED)) {
            return ExitCodes.INTEGRITY;
        }
        return partial ? ExitCodes.PARTIAL : ExitCodes.OK;
    }
}
