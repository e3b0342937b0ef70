package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The root object {@code vmconfig.json} (repository-format.md §4). */
public record RootObject(
        int version,
        RepositoryId repositoryId,
        Instant created,
        List<PublicKey> signers,
        String encryptionKeyId,
        long maxRunSeconds) {
    public static final String FORMAT = "vmconfig-repository";
    /** The version {@code repo init} and {@code repo upgrade} write, and the only one writers write into. */
    public static final int VERSION = 4;
    /** Versions readers accept (repository-format.md §4, §12). */
    public static final java.util.Set<Integer> READABLE = java.util.Set.of(1, 2, 3, 4);

    public static final long DEFAULT_MAX_RUN_SECONDS = 6 * 3600;

    public RootObject {
        signers = List.copyOf(signers);
    }

    /**
     * Refuses to write into a repository of an older format version: a version 1 writer encrypts with random
     * nonces, so it could replace an object with other bytes under the same name (§5.2, §12); a version 2 root
     * tells older binaries they may still write there, so this one writes only after {@code repo upgrade} made
     * the repository version 3 (which they refuse).
     */
    public void requireWritable(String action) {
        if (version != VERSION) {
            throw VmConfigException.config(action + ": the repository is format version " + version
                    + " and this vmconfig writes version " + VERSION + " only; run 'vmconfig repo upgrade' once"
                    + " (it keeps every set and bundle; repository-format.md §12)");
        }
    }

    /** The same root at the current version: what {@code repo upgrade} writes. */
    public RootObject upgraded() {
        return new RootObject(VERSION, repositoryId, created, signers, encryptionKeyId, maxRunSeconds);
    }

    public boolean allowsSigner(PublicKey key) {
        String id = SigningKeys.keyId(key);
        return signers.stream().anyMatch(k -> SigningKeys.keyId(k).equals(id));
    }

    /** The listed signer whose public key verifies signatures of {@code key}, if any. */
    public java.util.Optional<PublicKey> signerFor(java.security.PrivateKey key) {
        byte[] probe =
                ("vmconfig signer probe " + repositoryId.hex()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sig = SigningKeys.sign(key, probe);
        return signers.stream().filter(k -> SigningKeys.verify(k, probe, sig)).findFirst();
    }

    public byte[] toBytes() {
        ObjectNode o = CanonicalJson.object();
        o.put("format", FORMAT);
        o.put("version", version);
        o.put("repositoryId", repositoryId.hex());
        o.put("created", created.toString());
        ArrayNode s = o.putArray("signers");
        for (PublicKey k : signers) {
            s.addObject().put("keyId", SigningKeys.keyId(k)).put("publicKey", SigningKeys.encodePublic(k));
        }
        o.put("encryptionKeyId", encryptionKeyId);
        o.put("maxRunSeconds", maxRunSeconds);
        return CanonicalJson.bytes(o);
    }

    /** Parses the root; refuses an unknown format or version. */
    public static RootObject parse(byte[] data) {
        ObjectNode o = CanonicalJson.parseObject(data, ObjectNames.ROOT);
        if (!FORMAT.equals(o.path("format").asText()) || !o.path("version").isInt()) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, ObjectNames.ROOT + " is not a vmconfig root");
        }
        int version = o.get("version").asInt();
        if (!READABLE.contains(version)) {
            throw new VmConfigException(
                    VmConfigException.Kind.REFUSED,
                    "repository format version " + version
                            + " is not supported by this vmconfig (it reads versions 1 to " + VERSION + ")");
        }
        List<PublicKey> signers = new ArrayList<>();
        for (JsonNode s : o.path("signers")) {
            signers.add(SigningKeys.decodePublic(CanonicalJson.text(s, "publicKey", ObjectNames.ROOT)));
        }
        return new RootObject(
                version,
                new RepositoryId(CanonicalJson.text(o, "repositoryId", ObjectNames.ROOT)),
                Instant.parse(CanonicalJson.text(o, "created", ObjectNames.ROOT)),
                signers,
                CanonicalJson.text(o, "encryptionKeyId", ObjectNames.ROOT),
                CanonicalJson.integer(o, "maxRunSeconds", ObjectNames.ROOT));
    }
}
