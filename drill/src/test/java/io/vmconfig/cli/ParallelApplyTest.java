package io.vmconfig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.adapters.embedded.EmbeddedKube;
import io.vmconfig.adapters.kube.ApiMeter;
import io.vmconfig.bench.DrSyncBench;
import io.vmconfig.core.json.Json;
import io.vmconfig.testing.Cli;
import io.vmconfig.testing.TestRepository;
import io.vmconfig.testing.TwoClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * restore --context with --parallel N against in-process API servers: the same DR state and the same writes as one VM
 * after another, a fault on some VMs fails or retries only those, and the client's QPS limit holds for all workers.
 */
class ParallelApplyTest {
    static final int VMS = 60;

    @TempDir
    Path tmp;

    String keys;
    String repo;
    String map;
    EmbeddedKube prod;
    final List<EmbeddedKube> drs = new ArrayList<>();
    /** The meter of each cluster connection a command made, in order. */
    final List<ApiMeter> meters = new ArrayList<>();

    final KubeConnector connector = TwoClusters.metered(meters);

    @BeforeEach
    void start() throws Exception {
        keys = TestRepository.keys(tmp);
        repo = tmp.resolve("repo").toString();
        map = Files.writeString(tmp.resolve("map.yaml"), DrSyncBench.MAP).toString();
        TestRepository.init(repo, keys);
        prod = EmbeddedKube.start("prod", tmp);
        DrSyncBench.createFleet(prod, VMS);
        backup();
    }

    @AfterEach
    void stop() {
        drs.forEach(EmbeddedKube::close);
        prod.close();
    }

    /** A DR cluster with the replicated disk of every VM. */
    private EmbeddedKube dr(String name) {
        EmbeddedKube dr = EmbeddedKube.start(name, tmp);
        drs.add(dr);
        DrSyncBench.replicatedDisks(dr, VMS, i -> true);
        dr.faults.drainSeen();
        return dr;
    }

    private void backup() {
        TwoClusters.backup(repo, keys, prod, "-o", "json");
    }

    private Cli.Result restore(EmbeddedKube dr, String... more) {
        String[] args = TestRepository.args(
                "restore", TestRepository.reader(repo, keys, map), "-o", "json", more, dr.contextArgs());
        return Cli.run(connector, args);
    }

    private ApiMeter lastMeter() {
        return meters.get(meters.size() - 1);
    }

    @Test
    void manyVmsInParallelGiveTheSameDrStateAndTheSameWritesAsOneAfterAnother() {
        EmbeddedKube serial = dr("serial");
        EmbeddedKube parallel = dr("parallel");
        long[] writes = new long[2];
        int[] objects = new int[2];
        for (int pass = 0; pass < 3; pass++) {
            if (pass == 1) {
                for (int i = 0; i < VMS; i += 10) {
                    TwoClusters.changeCores(prod, "team-" + (i % 50), "vm-" + i, 8);
                }
                backup();
            }
            Cli.Result one = restore(serial, "--parallel", "1");
            assertThat(one.code()).as(one.out() + one.err()).isZero();
            writes[0] = lastMeter().writes();
            objects[0] = Json.parse(one.out(), "restore").path("objectsWritten").asInt();
            Cli.Result eight = restore(parallel, "--parallel", "8");
            assertThat(eight.code()).as(eight.out() + eight.err()).isZero();
            writes[1] = lastMeter().writes();
            objects[1] =
                    Json.parse(eight.out(), "restore").path("objectsWritten").asInt();

            assertThat(writes[1]).as("pass %d: API writes", pass).isEqualTo(writes[0]);
            assertThat(objects[1]).as("pass %d: objects written", pass).isEqualTo(objects[0]);
            assertThat(SyncFaultsTest.state(parallel))
                    .as("pass %d: DR state", pass)
                    .isEqualTo(SyncFaultsTest.state(serial));
            // the report lists the VMs in the plans' order whatever the order they were written in
            assertThat(Json.parse(eight.out(), "restore").path("vms").toString())
                    .isEqualTo(Json.parse(one.out(), "restore").path("vms").toString());
            switch (pass) {
                case 0 ->
                    assertThat(objects[1]).as("60 VMs and their 50 namespaces").isEqualTo(VMS + 50);
                case 1 -> assertThat(objects[1]).as("one PUT per changed VM").isEqualTo(VMS / 10);
                default ->
                    assertThat(objects[1]).as("an unchanged set writes nothing").isZero();
            }
        }
        assertThat(serial.cluster.list(io.vmconfig.adapters.kube.KubeKind.VM, null, null))
                .hasSize(VMS);
    }

    @Test
    void aFaultOnSomeVmsFailsOrRetriesOnlyThose() {
        EmbeddedKube dr = dr("dr");
        // a create names no object in its path: vm-17 and vm-23 are the only VMs of their namespaces. vm-17: every
        // create answered 503 (fails); vm-23: two 409s on its create (retried on a fresh read, applied)
        dr.faults.fail(vmCreateIn("team-17"), 1, 1000, 503);
        dr.faults.fail(vmCreateIn("team-23"), 1, 2, 409);
        Cli.Result r = restore(dr, "--parallel", "8");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.PARTIAL);
        JsonNode out = Json.parse(r.out(), "restore");
        assertThat(out.path("failures")).hasSize(1);
        assertThat(out.path("failures").get(0).asText()).contains("vm-17");
        assertThat(dr.cluster.list(io.vmconfig.adapters.kube.KubeKind.VM, null, null))
                .hasSize(VMS - 1)
                .noneMatch(v -> v.at("/metadata/name").asText().equals("vm-17"))
                .anyMatch(v -> v.at("/metadata/name").asText().equals("vm-23"));
        assertThat(dr.faults.drainSeen())
                .as("vm-23's create: two 409s, then created")
                .filteredOn(vmCreateIn("team-23"))
                .hasSize(3);
        dr.faults.clear();

        Cli.Result again = restore(dr, "--parallel", "8");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(Json.parse(again.out(), "restore").path("objectsWritten").asInt())
                .as("only vm-17")
                .isEqualTo(1);
    }

    private static java.util.function.Predicate<io.vmconfig.adapters.kube.ApiRequest> vmCreateIn(String ns) {
        return r -> r.verb().equals("create") && r.resource().equals("virtualmachines") && ns.equals(r.namespace());
    }

    @Test
    void theQpsLimitHoldsForAllWorkersTogether() {
        EmbeddedKube dr = dr("dr");
        long t0 = System.nanoTime();
        Cli.Result r = restore(dr, "--parallel", "8", "--qps", "100", "--burst", "5");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        ApiMeter m = lastMeter();
        long requests = m.reads() + m.writes();
        assertThat(requests).isGreaterThan(3L * VMS);
        // at most burst + qps * elapsed requests can pass the bucket without waiting, threads or not
        assertThat(m.paced())
                .isGreaterThanOrEqualTo(requests - 5 - (long) Math.ceil(100 * seconds))
                .isPositive();
    }

    /**
     * The limit measured where it matters, at the server: with --qps 20 --burst 5 and 8 workers, no second of the
     * restore receives more than the bucket lets through (burst + qps) plus the 8 requests the workers may have had
     * in flight, delayed into that second; so the whole restore lasts at least as long as its request count needs.
     * Generous on purpose: a slow machine only spreads requests out, an unlimited client is several times faster.
     */
    @Test
    void theServerSeesTheQpsLimitUnderParallelWorkers() {
        EmbeddedKube dr = dr("dr");
        dr.faults.drainArrivals();
        int qps = 20;
        int burst = 5;
        int inFlight = 8;
        Cli.Result r = restore(dr, "--parallel", "" + inFlight, "--qps", "" + qps, "--burst", "" + burst);
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<Long> at = new ArrayList<>(dr.faults.drainArrivals());
        at.sort(null); // dispatcher threads may queue them a little out of order
        assertThat(at).hasSizeGreaterThan(3 * VMS);
        long second = 1_000_000_000L;
        int busiest = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (j < at.size() && at.get(j) - at.get(i) < second) {
                j++;
            }
            busiest = Math.max(busiest, j - i);
        }
        assertThat(busiest).as("requests in the busiest second").isLessThanOrEqualTo(burst + qps + inFlight);
        double span = (at.get(at.size() - 1) - at.get(0)) / 1e9;
        assertThat(span)
                .as("seconds over which %d requests arrived", at.size())
                .isGreaterThanOrEqualTo((at.size() - burst - inFlight) / (double) qps);
    }
}
