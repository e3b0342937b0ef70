package io.vmconfig.adapters.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.embedded.Faults;
import io.vmconfig.core.velero.VmBundles.Wanted;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link PluginBatchReadContract} on the plugin's own reads (the default of a plugin process), and what is theirs. */
class OwnPluginReadsTest extends PluginBatchReadContract {
    @Override
    boolean ownReads() {
        return true;
    }

    @Test
    void aBatchGoesOverKeptConnectionsWithoutFabric8sClient() {
        config.objects(List.of(secret("a"), secret("b"))); // opens two connections and keeps them
        kube.faults.drainSeen();

        List<Optional<ObjectNode>> found = config.objects(List.of(secret("c"), secret("missing"), secret("a")));

        assertThat(found).extracting(Optional::isPresent).containsExactly(true, false, true);
        assertThat(kube.faults.drainSeen()).extracting(ApiRequest::name).containsExactly("c", "missing", "a");
        assertThat(config.cluster().meter().reads())
                .as("every read counted by the meter")
                .isEqualTo(5);
        assertThat(config.cluster().ownReadsIdle())
                .as("connections kept for the next batch")
                .isEqualTo(3);
    }

    @Test
    void aRefusedReadIsAskedAgainThroughFabric8sClientWhichDecides() {
        config.objects(List.of(secret("a")));
        kube.faults.drainSeen();
        // a 503 and a 403 once each: the second asking (fabric8's client, with its retries) gets the objects
        kube.faults.fail(Faults.verb("get", "secrets"), 1, 1, 503);
        kube.faults.fail(Faults.verb("get", "secrets"), 2, 1, 403);

        List<Optional<ObjectNode>> found = config.objects(List.of(secret("b"), secret("c"), secret("d")));

        assertThat(found).allMatch(Optional::isPresent);
        assertThat(kube.faults.pending()).isZero();
        // the three reads, and the two refused ones again (which two arrived first is the connections' race)
        assertThat(kube.faults.drainSeen())
                .extracting(ApiRequest::name)
                .hasSize(5)
                .contains("b", "c", "d");
    }

    private static Wanted secret(String name) {
        return new Wanted("v1", "Secret", "prod", name);
    }
}
