package io.vmconfig.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.json.Yaml;
import io.vmconfig.core.preflight.DrInventory;
import io.vmconfig.core.restore.DrRestore;
import io.vmconfig.core.restore.RestoreMode;
import io.vmconfig.core.restore.VolumeMap;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.testing.Fixtures;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Feeds arbitrary input to the filter and the DR restore: raw text (JSON/YAML), and the fixtures with random
 * subtrees replaced by random values. Only classified {@link VmConfigException}s may come out. Runs its seeds in
 * every build; {@code .ci/run} fuzzes it for a bounded time ({@code -Djazzer.fuzz=1}).
 */
class TransformFuzzTest {
    private static final List<ObjectNode> SEEDS =
            List.of(Fixtures.vm("harvester-web-01.yaml"), Fixtures.vm("kubevirt-db-02.yaml"));
    private static final VolumeMap MAP =
            VolumeMap.parse(Fixtures.read(Fixtures.EXAMPLES.resolve("volume-map.yaml")), "map");
    private static final DrInventory INVENTORY =
            DrInventory.of(Yaml.parseAll(Fixtures.read(Fixtures.EXAMPLES.resolve("dr-inventory.yaml")), "inv")
                    .get(0)
                    .path("items"));

    @FuzzTest(maxDuration = "30s")
    void onlyClassifiedErrorsComeOut(FuzzedDataProvider data) {
        JsonNode input;
        try {
            input = data.consumeBoolean() ? mutated(data) : raw(data.consumeRemainingAsString());
        } catch (VmConfigException e) {
            return;
        }
        ConfigOnlyVm c;
        try {
            c = ConfigOnlyFilter.filter(input, "fuzz");
        } catch (VmConfigException e) {
            if (e.getMessage() == null || !e.getMessage().contains("fuzz")) {
                throw new AssertionError("error does not name its origin: " + e.getMessage(), e);
            }
            return;
        }
        // a VM the filter accepted gets a verdict from the restore, never an exception
        for (RestoreMode mode : RestoreMode.values()) {
            new DrRestore(MAP.withMode(mode), UUID::randomUUID).restore(c, Optional.of(INVENTORY), Map.of());
            new DrRestore(MAP.withMode(mode), UUID::randomUUID).restore(c, Optional.empty(), Map.of());
        }
        ConfigOnlyFilter.filter(c.vm(), "fuzz again");
    }

    private static JsonNode raw(String text) {
        List<JsonNode> docs = Yaml.parseAll(text, "fuzz");
        return docs.isEmpty() ? Json.object() : docs.get(0);
    }

    private static JsonNode mutated(FuzzedDataProvider data) {
        ObjectNode vm = SEEDS.get(data.consumeInt(0, SEEDS.size() - 1)).deepCopy();
        int n = data.consumeInt(1, 8);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(vm, containers);
            JsonNode target = containers.get(data.consumeInt(0, containers.size() - 1));
            JsonNode value = value(data, 0);
            if (target instanceof ObjectNode o) {
                List<String> keys = new ArrayList<>();
                o.fieldNames().forEachRemaining(keys::add);
                String key = keys.isEmpty() || data.consumeBoolean()
                        ? data.consumeString(12)
                        : keys.get(data.consumeInt(0, keys.size() - 1));
                if (data.consumeBoolean()) {
                    o.remove(key);
                } else {
                    o.set(key, value);
                }
            } else if (target instanceof ArrayNode a) {
                if (a.isEmpty() || data.consumeBoolean()) {
                    a.add(value);
                } else {
                    a.set(data.consumeInt(0, a.size() - 1), value);
                }
            }
        }
        return vm;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static JsonNode value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth > 3 ? 4 : 6)) {
            case 0:
                return Json.NODES.textNode(data.consumeString(40));
            case 1:
                return Json.NODES.numberNode(data.consumeLong());
            case 2:
                return Json.NODES.booleanNode(data.consumeBoolean());
            case 3:
                return Json.NODES.nullNode();
            case 4:
                return Json.NODES.numberNode(data.consumeDouble());
            case 5: {
                ObjectNode o = Json.object();
                int k = data.consumeInt(0, 3);
                for (int i = 0; i < k; i++) {
                    o.set(data.consumeString(10), value(data, depth + 1));
                }
                return o;
            }
            default: {
                ArrayNode a = Json.array();
                int k = data.consumeInt(0, 3);
                for (int i = 0; i < k; i++) {
                    a.add(value(data, depth + 1));
                }
                return a;
            }
        }
    }
}
