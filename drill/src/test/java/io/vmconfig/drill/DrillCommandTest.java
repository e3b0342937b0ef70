package io.vmconfig.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.embedded.EmbeddedS3;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, through the real command line: S3Proxy and two mock API servers in-process. */
class DrillCommandTest {
    @TempDir
    Path tmp;

    /** The drill jar's command line (the product's commands plus drill), in-process. */
    static Cli.Result drill(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = DrillMain.runner(io.vmconfig.app.Main.environment(), io.vmconfig.adapters.kube.KubeCluster::connect)
                .run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), args);
        return new Cli.Result(code, out.toString(), err.toString());
    }

    @Test
    void theDrillJarsHelpIsCompleteToo() {
        var cl = DrillMain.runner(io.vmconfig.app.Main.environment(), io.vmconfig.adapters.kube.KubeCluster::connect)
                .commandLine(
                        new java.io.PrintWriter(java.io.Writer.nullWriter()),
                        new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertThat(io.vmconfig.testing.HelpAudit.findings(cl)).isEmpty();
        assertThat(drill("completion", "bash").out()).contains("drill").contains("--source-context");
    }

    @Test
    void theDrillPassesOnTheEmbeddedExamples() {
        Cli.Result r = drill("drill", "--work", tmp.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("drill passed")
                .doesNotContain("FAIL")
                .contains("sync wrote exactly the one changed VM (1 API write(s), and 1 Event(s)")
                .contains("every DR VM has its production run strategy back")
                .contains("sync skipped the activated web-01 and left it as it runs")
                .contains("sync kept the others in step: db-02 has 6 cores on DR (1 API write(s))")
                .contains("sync never touches the DR VMs that now run")
                .contains("ok    a map with name rules is not inverted")
                .contains("ok    the dry run shows production's app-03 adopted and writes nothing")
                .contains("ok    the change made on DR is on production, on production's own claim app-03-disk, Halted")
                .contains("ok    production's app-03 was adopted")
                .contains("ok    production's app-03 runs again")
                .contains("ok    DR sync resumed: DR's app-03 has production's 8 cores, Halted");
    }

    @Test
    void theDrillFailsWhenTheDrSideIsNotReady() throws IOException {
        Path ex = tmp.resolve("examples");
        copy(Fixtures.EXAMPLES, ex);
        Files.writeString(
                ex.resolve("dr-inventory.yaml"),
                Fixtures.read(ex.resolve("dr-inventory.yaml")).replace("name: dr-app-03-disk", "name: not-replicated"));
        Cli.Result r = drill(
                "drill", "--examples", ex.toString(), "--work", tmp.resolve("w").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains("PVC_MISSING")
                .contains("FAIL  every VM is on DR (2/3)")
                .contains("drill FAILED");
    }

    @Test
    void realModeNeedsEveryTarget() {
        Cli.Result r = drill("drill", "--source-context", "prod");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--dr-context").contains("--repo").contains("--map");
    }

    @Test
    void realModeChecksRealClustersWithoutWritingAnything() throws Exception {
        try (EmbeddedKube prod = EmbeddedKube.start("production", tmp);
                EmbeddedKube dr = EmbeddedKube.start("dr", tmp)) {
            prod.seed(Fixtures.EXAMPLES.resolve("production"));
            dr.seed(Fixtures.EXAMPLES.resolve("dr-inventory.yaml"));
            Path kubeconfig = EmbeddedKube.writeKubeconfig(tmp.resolve("both.kubeconfig"), prod, dr);
            String repo = EmbeddedS3.get().newBucketUrl("real") + "&credentials="
                    + EmbeddedS3.writeCredentials(tmp.resolve("credentials")) + "&profile=default";
            Path keys = tmp.resolve("keys");
            assertThat(Cli.run("keys", "generate", "--out=" + keys).code()).isZero();
            assertThat(Cli.run(
                                    "repo",
                                    "init",
                                    "--repo=" + repo,
                                    "--signer=" + keys.resolve("signing.pub"),
                                    "--key=" + keys.resolve("repository.key"))
                            .code())
                    .isZero();
            assertThat(Cli.run(
                                    "backup",
                                    "--kubeconfig=" + kubeconfig,
                                    "--context=production",
                                    "--repo=" + repo,
                                    "--signing-key=" + keys.resolve("signing.key"),
                                    "--key=" + keys.resolve("repository.key"))
                            .code())
                    .isZero();
            prod.drainWrites();
            dr.drainWrites();
            Cli.Result r = drill(
                    "drill",
                    "--kubeconfig=" + kubeconfig,
                    "--source-context=production",
                    "--dr-context=dr",
                    "--repo=" + repo,
                    "--map=" + Fixtures.EXAMPLES.resolve("volume-map.yaml"),
                    "--verify-key=" + keys.resolve("signing.pub"),
                    "--key=" + keys.resolve("repository.key"),
                    "--work=" + tmp.resolve("w"));
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("drill passed").contains("CREATE");
            assertThat(prod.drainWrites()).isZero();
            assertThat(dr.drainWrites()).isZero();
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
    }
}
