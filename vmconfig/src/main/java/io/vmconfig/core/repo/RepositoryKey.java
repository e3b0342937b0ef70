package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The repository key K (repository-format.md §5.2): AES-256-GCM for bundles holding Secret data, the keyed hash
 * that names them, and the keyed hash that stands for a redacted Secret value in {@code show}/{@code diff}.
 * Never stored in the repository, never printed. Every sub-key is derived here, and only here.
 *
 * <p>Format version 2 encrypts deterministically (a synthetic IV, §5.2): equal plaintext gives equal stored bytes,
 * so a name is bound to one content forever and re-putting it is harmless. Version 1 names (another label, random
 * nonces) are still read, never written.
 */
public final class RepositoryKey {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final String AAD_V4 = "vmconfig bundle v4";
    private final byte[] encKey;
    private final byte[] nameKeyV1;
    private final byte[] nameKey;
    private final byte[] ivKey;
    private final byte[] redactKey;
    private final byte[] contentKey;
    private final String keyId;

    private RepositoryKey(byte[] k) {
        if (k.length != 32) {
            throw VmConfigException.config("a repository key has 32 bytes, this one has " + k.length);
        }
        this.encKey = hmac(k, "vmconfig aes-256-gcm".getBytes(StandardCharsets.UTF_8));
        this.nameKeyV1 = hmac(k, "vmconfig bundle name".getBytes(StandardCharsets.UTF_8));
        this.nameKey = hmac(k, "vmconfig bundle name v2".getBytes(StandardCharsets.UTF_8));
        this.ivKey = hmac(k, "vmconfig synthetic iv v2".getBytes(StandardCharsets.UTF_8));
        this.redactKey = hmac(k, "vmconfig redaction".getBytes(StandardCharsets.UTF_8));
        this.contentKey = hmac(k, "vmconfig content digest v4".getBytes(StandardCharsets.UTF_8));
        this.keyId = HexFormat.of()
                .formatHex(hmac(k, "vmconfig key id".getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }

    public static RepositoryKey of(byte[] k) {
        return new RepositoryKey(k.clone());
    }

    public static byte[] generate(RandomGenerator random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    public static RepositoryKey decode(String base64) {
        try {
            return of(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            throw VmConfigException.config("the repository key is not base64");
        }
    }

    public String keyId() {
        return keyId;
    }

    /** The keyed-hash name (format version 2) of a plaintext bundle. */
    public BundleId nameFor(byte[] plaintext) {
        return BundleId.of(HexFormat.of().formatHex(hmac(nameKey, plaintext)));
    }

    /**
     * The version 4 content digest of a plaintext bundle (§5.4): the first 16 bytes of HMAC-SHA256 under
     * {@code Kcontent = HMAC(K, "vmconfig content digest v4")}. Keyed, so nobody without K (a VM's author
     * included) can craft two bundles with one digest and make a writer take a changed VM for unchanged.
     */
    public BundleId contentDigest(byte[] plaintext) {
        return BundleId.shortDigest(hmac(contentKey, plaintext));
    }

    /** The name format version 1 gave the same plaintext: read, never written (§5.2). */
    BundleId nameForV1(byte[] plaintext) {
        return BundleId.of(HexFormat.of().formatHex(hmac(nameKeyV1, plaintext)));
    }

    /**
     * A short keyed hash standing for a Secret value in printed output: changes still show, but nobody without K
     * can test a guessed value against it (§5.2).
     */
    public String redactionTag(byte[] value) {
        return HexFormat.of().formatHex(hmac(redactKey, value)).substring(0, 16);
    }

    /**
     * Deterministic authenticated encryption (format version 2, §5.2): the nonce is the first 12 bytes of
     * HMAC-SHA256(Kiv, plaintext), so the same plaintext under the same name always gives the same bytes.
     */
    public byte[] encrypt(BundleId id, byte[] plaintext) {
        return seal(plaintext, "vmconfig bundle " + id.hex());
    }

    /**
     * Format version 3 (§5.3): encrypts the compressed bundle {@code frame} of the plaintext named {@code id}; the
     * nonce is the first 12 bytes of HMAC-SHA256(Kiv, frame) and the AAD {@code "vmconfig bundle v3 " + id}, so the
     * ciphertext is bound to the entry's keyed name and cannot pass for a version 2 object. Compress, then encrypt.
     */
    public byte[] encryptV3(BundleId id, byte[] frame) {
        return seal(frame, "vmconfig bundle v3 " + id.hex());
    }

    /**
     * Decrypts a version 3 object to its compressed frame (the keyed hash is checked on the plaintext after
     * inflating, {@link #requireName}); INTEGRITY when the tag fails.
     */
    public byte[] decryptV3(BundleId id, byte[] stored, String what) {
        return open(stored, "vmconfig bundle v3 " + id.hex(), what, "corrupt, moved, or another key");
    }

    /**
     * Format version 4 (§5.4): encrypts a frame; the AAD is the constant {@code "vmconfig bundle v4"}, since the
     * object is named by the hash of what is stored and its signed entry names that hash, and the synthetic nonce
     * keeps equal frames equal bytes. Compress, then encrypt.
     */
    public byte[] encryptV4(byte[] frame) {
        return seal(frame, AAD_V4);
    }

    /** Decrypts a version 4 object to its frame; INTEGRITY when the tag fails. */
    public byte[] decryptV4(byte[] stored, String what) {
        return open(stored, AAD_V4, what, "corrupt, or another key");
    }

    /** Encrypts a dictionary trained from Secret-holding bundles (§5.3); deterministic, like bundles. */
    public byte[] sealDictionary(byte[] dictionary) {
        return seal(dictionary, "vmconfig dictionary v3");
    }

    /** Opens a sealed dictionary; INTEGRITY when the tag fails. */
    public byte[] openDictionary(byte[] stored, String what) {
        return open(stored, "vmconfig dictionary v3", what, "corrupt, or another key");
    }

    /** {@code nonce ‖ AES-256-GCM(Kenc, nonce, data, aad)} with the synthetic nonce of §5.2. */
    private byte[] seal(byte[] data, String aad) {
        byte[] nonce = Arrays.copyOf(hmac(ivKey, data), NONCE);
        try {
            byte[] ct = cipher(Cipher.ENCRYPT_MODE, nonce, aad).doFinal(data);
            byte[] out = Arrays.copyOf(nonce, NONCE + ct.length);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "AES-GCM encryption failed", e);
        }
    }

    private byte[] open(byte[] stored, String aad, String what, String causes) {
        if (stored.length < NONCE + TAG_BITS / 8) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is too short");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(stored, NONCE), aad)
                    .doFinal(stored, NONCE, stored.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY, what + " fails AES-GCM authentication (" + causes + ")");
        }
    }

    /** INTEGRITY unless {@code plain} has the keyed name {@code id} (version 2 or 1 label). */
    public void requireName(BundleId id, byte[] plain, String what) {
        if (!nameFor(plain).equals(id) && !nameForV1(plain).equals(id)) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " does not match its name");
        }
    }

    /** Decrypts and checks the tag and the keyed hash; any mismatch is an INTEGRITY failure. */
    public byte[] decrypt(BundleId id, byte[] stored) {
        byte[] plain = open(stored, "vmconfig bundle " + id.hex(), "bundle " + id, "corrupt, moved, or another key");
        requireName(id, plain, "bundle " + id);
        return plain;
    }

    private Cipher cipher(int mode, byte[] nonce, String aad) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(encKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "RepositoryKey[" + keyId + "]";
    }
}
