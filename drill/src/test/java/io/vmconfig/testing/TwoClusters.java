package io.vmconfig.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.cli.KubeConnector;
import io.vmconfig.core.json.Json;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A production and a DR cluster (in-process API servers seeded with the examples), keys and a repository: what the
 * controller tests start from.
 */
public final class TwoClusters implements AutoCloseable {
    public static final String MAP = Fixtures.EXAMPLES.resolve("volume-map.yaml").toString();
    public final String keys;
    public final String repo;
    public final EmbeddedKube prod;
    public final EmbeddedKube dr;

    private TwoClusters(Path tmp) {
        keys = tmp.resolve("keys").toString();
        repo = tmp.resolve("repo").toString();
        assertThat(Cli.run("keys", "generate", "--out", keys).code()).isZero();
        assertThat(Cli.run("repo", "init", "--repo", repo, "--signer", keys + "/signing.pub", "--key",
                keys + "/repository.key").code()).isZero();
        prod = EmbeddedKube.start("prod", tmp).seed(Fixtures.EXAMPLES.resolve("production"));
        dr = EmbeddedKube.start("dr", tmp).seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"));
        prod.faults.drainSeen();
        dr.faults.drainSeen();
    }

    /** A change made in {@code cluster} as a user would: {@code cores} CPU cores and the next generation. */
    public static void changeCores(EmbeddedKube cluster, String ns, String name, int cores) {
        ObjectNode vm = cluster.cluster.get(KubeKind.VM, ns, name).orElseThrow();
        Json.ensureObject(vm, "spec", "template", "spec", "domain", "cpu").put("cores", cores);
        ((ObjectNode) vm.path("metadata")).put("generation", vm.path("metadata").path("generation").asLong() + 1);
        cluster.cluster.update(KubeKind.VM, vm);
    }

    public static TwoClusters start(Path tmp) {
        return new TwoClusters(tmp);
    }

    /** A signed set of production; returns its id. */
    public String backup() {
        Cli.Result b = Cli.run(Stream.concat(Stream.of("backup", "--repo", repo, "--signing-key",
                keys + "/signing.key", "--key", keys + "/repository.key", "--source-cluster", "prod", "-o", "json"),
                Stream.of(prod.contextArgs())).toArray(String[]::new));
        assertThat(b.code()).as(b.err()).isZero();
        return Json.parse(b.out(), "backup").path("set").asText();
    }

    /** {@code command} (restore, plan, sync) with the repository, keys and map, {@code more}, then {@code context}. */
    public String[] drArgs(String command, String[] context, String... more) {
        return Stream.of(Stream.of(command, "--repo", repo, "--verify-key", keys + "/signing.pub", "--key",
                keys + "/repository.key", "--map", MAP), Stream.of(more), Stream.of(context)).flatMap(s -> s)
                .toArray(String[]::new);
    }

    public Cli.Result onDr(KubeConnector connector, String command, String... more) {
        return Cli.run(connector, drArgs(command, dr.contextArgs(), more));
    }

    @Override
    public void close() {
        prod.close();
        dr.close();
    }
}
