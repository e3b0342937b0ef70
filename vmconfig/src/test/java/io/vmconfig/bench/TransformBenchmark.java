package io.vmconfig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.RestoreOutcome;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Filter and DR restore of one fixture VM, from its JSON text (what the plugin receives) to the DR VM.
 * Run with {@code bench/transforms}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TransformBenchmark {
    @Param({"harvester-web-01", "kubevirt-db-02"})
    public String fixture;

    private String json;
    private DrRestore restore;
    private DrInventory inventory;

    @Setup
    public void setup() throws Exception {
        Path fixtures = io.vmconfig.testing.Fixtures.FIXTURES;
        JsonNode vm = Yaml.parseAll(Files.readString(fixtures.resolve(fixture + ".yaml")), fixture)
                .get(0);
        json = Json.compact(vm);
        restore = new DrRestore(
                VolumeMap.parse(
                        Files.readString(io.vmconfig.testing.Fixtures.EXAMPLES.resolve("volume-map.yaml")), "map"),
                UUID::randomUUID);
        inventory = DrInventory.of(Yaml.parseAll(
                        Files.readString(io.vmconfig.testing.Fixtures.EXAMPLES.resolve("dr-inventory.yaml")), "inv")
                .get(0)
                .path("items"));
    }

    @Benchmark
    public ObjectNode filter() {
        return ConfigOnlyFilter.filter(Json.parse(json, "bench"), "bench").vm();
    }

    @Benchmark
    public RestoreOutcome filterAndRestore() {
        ConfigOnlyVm c = ConfigOnlyFilter.filter(Json.parse(json, "bench"), "bench");
        return restore.restore(c, Optional.of(inventory), Map.of());
    }
}
