package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.service.failback.FailbackLauncher;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** failback's two sides: one kubeconfig for both, or one each; the client options apply to each side. */
class TwoSidedKubeOptionsTest {
    static FailbackCommand parse(String... sides) {
        FailbackCommand c = new FailbackCommand((dr, prod, url, request, listener) -> {
            throw new AssertionError("not run");
        });
        String[] fixed = {"--repo", "r", "--signing-key", "k", "--map", "m"};
        String[] all = new String[sides.length + fixed.length];
        System.arraycopy(sides, 0, all, 0, sides.length);
        System.arraycopy(fixed, 0, all, sides.length, fixed.length);
        new CommandLine(c).parseArgs(all);
        return c;
    }

    @Test
    void eachSideTakesItsOwnKubeconfigOrTheSharedOneAndTheClientOptions() {
        FailbackCommand shared = parse(
                "--kubeconfig", "both", "--from-context", "dr", "--to-context", "prod", "--qps", "5", "--burst", "7");
        assertThat(shared.sides.from()).isEqualTo(new FailbackLauncher.Cluster("both", "dr", 5, 7));
        assertThat(shared.sides.to()).isEqualTo(new FailbackLauncher.Cluster("both", "prod", 5, 7));

        FailbackCommand apart = parse(
                "--kubeconfig",
                "both",
                "--to-kubeconfig",
                "prod.kubeconfig",
                "--from-context",
                "admin",
                "--to-context",
                "admin",
                "--state-namespace",
                "dr-state");
        assertThat(apart.sides.from()).isEqualTo(new FailbackLauncher.Cluster("both", "admin", 20, 40));
        assertThat(apart.sides.to()).isEqualTo(new FailbackLauncher.Cluster("prod.kubeconfig", "admin", 20, 40));
        assertThat(apart.sides.stateNamespace()).isEqualTo("dr-state");
        apart.sides.requireTwoSides(); // the same context name in two files: two clusters
    }

    @Test
    void theSameContextOfTheSameFileIsRefused() {
        FailbackCommand same = parse("--from-context", "prod", "--to-context", "prod");
        assertThatThrownBy(same.sides::requireTwoSides)
                .isInstanceOf(VmConfigException.class)
                .hasMessageContaining("name the same context 'prod'");
        FailbackCommand sameFile =
                parse("--from-kubeconfig", "k", "--to-kubeconfig", "k", "--from-context", "x", "--to-context", "x");
        assertThatThrownBy(sameFile.sides::requireTwoSides).hasMessageContaining("'x' of k");
    }
}
