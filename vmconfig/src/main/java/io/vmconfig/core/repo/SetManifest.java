package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A set manifest {@code sets/<id>.json}: the signed body naming either one sub-manifest per bucket (body format 1,
 * repository-format.md §6; {@code buckets.get(i)} is empty for an empty bucket) or the root of a manifest tree with
 * its overlay and dictionary (body format 3, §6.2; {@code tree} is set and {@code buckets} empty).
 */
public record SetManifest(
        SetId setId,
        RepositoryId repositoryId,
        Instant created,
        String sourceCluster,
        String run,
        String toolVersion,
        int vmCount,
        List<Optional<Digest>> buckets,
        Tree tree) {
    private static final String KIND = "vmconfig.set";

    /** What a format 3 set names (§6.2): the tree's root node, its overlay segments (oldest first), the dictionary. */
    public record Tree(
            Optional<Digest> root,
            List<Digest> overlay,
            Optional<Digest> dictionary,
            Optional<Digest> secretDictionary) {
        public Tree {
            overlay = List.copyOf(overlay);
        }
    }

    public SetManifest {
        buckets = List.copyOf(buckets);
    }

    /** A format 1 set (buckets of sub-manifests). */
    public SetManifest(
            SetId setId,
            RepositoryId repositoryId,
            Instant created,
            String sourceCluster,
            String run,
            String toolVersion,
            int vmCount,
            List<Optional<Digest>> buckets) {
        this(setId, repositoryId, created, sourceCluster, run, toolVersion, vmCount, buckets, null);
    }

    /** A format 3 set (a manifest tree). */
    public SetManifest(
            SetId setId,
            RepositoryId repositoryId,
            Instant created,
            String sourceCluster,
            String run,
            String toolVersion,
            int vmCount,
            Tree tree) {
        this(setId, repositoryId, created, sourceCluster, run, toolVersion, vmCount, List.of(), tree);
    }

    public int fanout() {
        return buckets.size();
    }

    public Optional<Tree> treeForm() {
        return Optional.ofNullable(tree);
    }

    /** The signed object: body plus an Ed25519 signature over the body's canonical bytes. */
    public byte[] sign(PrivateKey key, PublicKey publicKey) {
        ObjectNode body = body();
        byte[] sig = SigningKeys.sign(key, CanonicalJson.bytes(body));
        ObjectNode o = CanonicalJson.object();
        o.set("body", body);
        o.putObject("signature")
                .put("algorithm", SigningKeys.ALGORITHM)
                .put("keyId", SigningKeys.keyId(publicKey))
                .put("value", Base64.getEncoder().encodeToString(sig));
        return Gzip.compress(CanonicalJson.bytes(o));
    }

    private ObjectNode body() {
        ObjectNode b = CanonicalJson.object();
        b.put("format", tree == null ? 1 : ManifestTree.FORMAT);
        b.put("kind", KIND);
        b.put("setId", setId.value());
        b.put("repositoryId", repositoryId.hex());
        b.put("created", created.toString());
        b.put("sourceCluster", sourceCluster);
        b.put("run", run);
        b.put("toolVersion", toolVersion);
        b.put("vmCount", vmCount);
        if (tree != null) {
            b.put("root", tree.root().map(Digest::hex).orElse(""));
            ArrayNode o = b.putArray("overlay");
            tree.overlay().forEach(d -> o.add(d.hex()));
            b.put("dictionary", tree.dictionary().map(Digest::hex).orElse(""));
            b.put("secretDictionary", tree.secretDictionary().map(Digest::hex).orElse(""));
            return b;
        }
        b.put("fanout", buckets.size());
        ArrayNode a = b.putArray("buckets");
        buckets.forEach(d -> a.add(d.map(Digest::hex).orElse("")));
        return b;
    }

    /**
     * Parses a set manifest, checks its name and repository, and its signature against {@code trust}
     * (refused unless the trust skips verification).
     */
    public static SetManifest parse(SetId expected, byte[] data, RepositoryId repository, Trust trust) {
        String what = ObjectNames.set(expected);
        ObjectNode o = CanonicalJson.parseObject(Gzip.decompress(data, what), what);
        JsonNode bodyNode = o.get("body");
        if (!(bodyNode instanceof ObjectNode body)
                || !KIND.equals(body.path("kind").asText())
                || !java.util.Set.of(1, 3, 4).contains(body.path("format").asInt())) {
            throw integrity(what + " is not a format 1, 3 or 4 set manifest");
        }
        trust.check(what, CanonicalJson.bytes(body), o.get("signature"));
        SetManifest m;
        try {
            m = fromBody(body, what);
        } catch (java.time.DateTimeException | IllegalArgumentException e) {
            throw integrity(what + " is malformed");
        } catch (VmConfigException e) {
            throw e.kind() == VmConfigException.Kind.INVALID_INPUT ? integrity(what + " is malformed") : e;
        }
        if (!m.setId.equals(expected)) {
            throw integrity(what + " names another set (" + m.setId + ")");
        }
        if (!m.repositoryId.equals(repository)) {
            throw integrity(what + " belongs to another repository (" + m.repositoryId + ")");
        }
        return m;
    }

    private static SetManifest fromBody(ObjectNode b, String what) {
        if (b.path("format").asInt() >= 3) {
            List<Digest> overlay = new ArrayList<>();
            for (JsonNode n : b.path("overlay")) {
                overlay.add(new Digest(n.asText()));
            }
            if (overlay.size() > ManifestTree.MAX_OVERLAY) {
                throw integrity(what + " has more than " + ManifestTree.MAX_OVERLAY + " overlay segments");
            }
            return new SetManifest(
                    new SetId(CanonicalJson.text(b, "setId", what)),
                    new RepositoryId(CanonicalJson.text(b, "repositoryId", what)),
                    Instant.parse(CanonicalJson.text(b, "created", what)),
                    CanonicalJson.text(b, "sourceCluster", what),
                    CanonicalJson.text(b, "run", what),
                    CanonicalJson.text(b, "toolVersion", what),
                    (int) CanonicalJson.integer(b, "vmCount", what),
                    new Tree(
                            optional(b.path("root").asText()),
                            overlay,
                            optional(b.path("dictionary").asText()),
                            optional(b.path("secretDictionary").asText())));
        }
        List<Optional<Digest>> buckets = new ArrayList<>();
        for (JsonNode n : b.path("buckets")) {
            buckets.add(n.asText().isEmpty() ? Optional.empty() : Optional.of(new Digest(n.asText())));
        }
        if (buckets.size() != CanonicalJson.integer(b, "fanout", what) || buckets.isEmpty()) {
            throw integrity(what + ": fanout does not match its buckets");
        }
        return new SetManifest(
                new SetId(CanonicalJson.text(b, "setId", what)),
                new RepositoryId(CanonicalJson.text(b, "repositoryId", what)),
                Instant.parse(CanonicalJson.text(b, "created", what)),
                CanonicalJson.text(b, "sourceCluster", what),
                CanonicalJson.text(b, "run", what),
                CanonicalJson.text(b, "toolVersion", what),
                (int) CanonicalJson.integer(b, "vmCount", what),
                buckets);
    }

    private static Optional<Digest> optional(String hex) {
        return hex.isEmpty() ? Optional.empty() : Optional.of(new Digest(hex));
    }

    private static VmConfigException integrity(String message) {
        return new VmConfigException(VmConfigException.Kind.INTEGRITY, message);
    }
}
