package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

/**
 * The public keys a reader accepts set signatures from, given by the operator, never taken from the repository
 * (repository-format.md §7). {@link #insecure()} skips verification and must be asked for explicitly.
 */
public final class Trust {
    private final List<PublicKey> keys;
    private final boolean skipVerify;

    private Trust(List<PublicKey> keys, boolean skipVerify) {
        this.keys = List.copyOf(keys);
        this.skipVerify = skipVerify;
    }

    public static Trust keys(List<PublicKey> keys) {
        if (keys.isEmpty()) {
            throw VmConfigException.config("no public key to verify sets with: pass --verify-key FILE "
                    + "(or --insecure-skip-verify to read unverified sets)");
        }
        return new Trust(keys, false);
    }

    public static Trust insecure() {
        return new Trust(List.of(), true);
    }

    public boolean skipsVerification() {
        return skipVerify;
    }

    /** Checks the signature object over {@code signed}; throws INTEGRITY naming {@code what} when it fails. */
    void check(String what, byte[] signed, JsonNode signature) {
        if (skipVerify) {
            return;
        }
        if (signature == null
                || !SigningKeys.ALGORITHM.equals(signature.path("algorithm").asText())) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " is not signed");
        }
        byte[] value;
        try {
            value = Base64.getDecoder().decode(signature.path("value").asText());
        } catch (IllegalArgumentException e) {
            throw new VmConfigException(VmConfigException.Kind.INTEGRITY, what + " has a malformed signature");
        }
        for (PublicKey k : keys) {
            if (SigningKeys.verify(k, signed, value)) {
                return;
            }
        }
        throw new VmConfigException(
                VmConfigException.Kind.INTEGRITY,
                what + " is not signed by a trusted key (signed by "
                        + signature.path("keyId").asText("?") + ")");
    }
}
