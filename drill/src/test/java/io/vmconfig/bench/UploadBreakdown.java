package io.vmconfig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.CanonicalJson;
import io.vmconfig.core.repo.Gzip;
import io.vmconfig.core.repo.ObjectNames;
import io.vmconfig.testing.ForwardingBlobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the bytes of one backup go (bench/repo-sync): every put recorded by name and size, then summed by kind of
 * object (bundles by their frame type, manifest objects, the set, dictionaries), and each column of the overlay
 * segments gzip'd alone, so the share of each field of an entry shows (docs/benchmarks.md, "Repository").
 */
final class UploadBreakdown extends ForwardingBlobStore {
    private final List<Map.Entry<String, byte[]>> puts = new ArrayList<>();

    UploadBreakdown(BlobStore inner) {
        super(inner);
    }

    void reset() {
        puts.clear();
    }

    @Override
    public void put(String name, byte[] data) {
        inner.put(name, data);
        puts.add(Map.entry(name, data));
    }

    /** The lines to print: objects and bytes by kind, then the overlay columns. */
    List<String> lines() {
        Map<String, long[]> kinds = new TreeMap<>();
        Map<String, Long> columns = new TreeMap<>();
        long[] overlayEntries = {0};
        for (Map.Entry<String, byte[]> p : puts) {
            String kind = kind(p.getKey(), p.getValue());
            long[] k = kinds.computeIfAbsent(kind, x -> new long[2]);
            k[0]++;
            k[1] += p.getValue().length;
            if (p.getKey().startsWith(ObjectNames.MANIFESTS)) {
                JsonNode o = CanonicalJson.parseObject(Gzip.decompress(p.getValue(), p.getKey()), p.getKey());
                if ("vmconfig.overlay".equals(o.path("kind").asText())
                        && o.path("changes").isObject()) {
                    overlayEntries[0] += o.path("changes").path("name").size();
                    o.path("changes")
                            .fields()
                            .forEachRemaining(c -> columns.merge(
                                    c.getKey(),
                                    (long) Gzip.compress(CanonicalJson.bytes(c.getValue())).length - 20,
                                    Long::sum));
                }
            }
        }
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder("  breakdown:");
        kinds.forEach((k, v) -> b.append(String.format(" %s %d obj %d B;", k, v[0], v[1])));
        out.add(b.toString());
        if (!columns.isEmpty()) {
            StringBuilder c =
                    new StringBuilder("  overlay columns, each gzip'd alone (B, " + overlayEntries[0] + " entries):");
            columns.forEach((k, v) -> c.append(' ').append(k).append(' ').append(v));
            out.add(c.toString());
        }
        return out;
    }

    /**
     * The kind of a put: by prefix, and for bundles by the version 4 frame type of their first byte, salted (flag
     * 0x10, repository-format.md §5.6) or not.
     */
    private static String kind(String name, byte[] data) {
        if (name.startsWith(ObjectNames.BUNDLES)) {
            int t = data.length == 0 ? -1 : data[0] & 0xef;
            return switch (t) {
                case 4, 5 -> "bundle-full";
                case 7 -> "bundle-delta";
                case 8 -> "pack";
                default -> "bundle-sealed";
            };
        }
        if (name.startsWith(ObjectNames.MANIFESTS)) {
            return "manifest";
        }
        if (name.startsWith(ObjectNames.SETS)) {
            return "set";
        }
        return name.substring(0, name.indexOf('/') + 1);
    }
}
