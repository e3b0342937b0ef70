package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The entries of one bucket, stored gzip-compressed and content-addressed under {@code manifests/<sha256>}
 * (repository-format.md §3, §6).
 */
public record SubManifest(int bucket, List<Entry> entries) {
    private static final String KIND = "vmconfig.submanifest";

    public SubManifest {
        entries = entries.stream().sorted(Comparator.comparing(Entry::key)).toList();
    }

    public byte[] toBytes() {
        ObjectNode o = CanonicalJson.object();
        o.put("format", 1);
        o.put("kind", KIND);
        o.put("bucket", bucket);
        ArrayNode a = o.putArray("entries");
        entries.forEach(e -> a.add(e.toJson()));
        return Gzip.compress(CanonicalJson.bytes(o));
    }

    /** Parses a sub-manifest and checks that its bytes hash to its name. */
    public static SubManifest parse(Digest name, byte[] data) {
        String what = ObjectNames.manifest(name);
        if (!Digest.sha256(data).equals(name)) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " does not match its hash");
        }
        ObjectNode o = CanonicalJson.parseObject(Gzip.decompress(data, what), what);
        if (!KIND.equals(o.path("kind").asText()) || o.path("format").asInt() != 1) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is not a version 1 sub-manifest");
        }
        List<Entry> entries = new ArrayList<>();
        try {
            for (JsonNode e : o.path("entries")) {
                entries.add(Entry.fromJson(e, what));
            }
        } catch (java.time.DateTimeException | IllegalArgumentException | NullPointerException e) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " has a malformed entry");
        }
        return new SubManifest((int) CanonicalJson.integer(o, "bucket", what), entries);
    }
}
