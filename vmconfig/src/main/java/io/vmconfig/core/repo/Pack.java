package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A version 4 pack (repository-format.md §5.5): the delta frames of one run's changed VMs in one object, those
 * without Secret data in a plain section and those with it in a sealed section (compressed, then encrypted under one
 * nonce and tag):
 *
 * <pre>
 * pack    = 0x08 ‖ varint length of the plain section ‖ plain section ‖ sealed section
 *         | 0x18 ‖ salt (4 bytes) ‖ the same after 0x08                  (salted: what writers write, §5.6)
 * section = "" | varint count ‖ varint inflated length ‖ raw DEFLATE of (varint length ‖ delta frame) per member
 * sealed  = "" | nonce ‖ AES-256-GCM(Kenc, nonce, section, aad = "vmconfig bundle v4")   (as a frame, §5.4)
 * </pre>
 *
 * An entry names the pack (its sha256 and size), the member's index in its section and its delta base. Reading is
 * bounded like a frame: lengths are checked against what is there before anything is allocated, the inflated length
 * is at most 64 MiB, and every failure is INTEGRITY naming the pack and the member.
 */
final class Pack {
    static final byte TYPE = 8;
    /** A writer closes a pack once its members' frames reach this many bytes: what a reader of one VM reads. */
    static final int TARGET_BYTES = 64 * 1024;

    private Pack() {}

    /** A pack as {@link #write(List, List, Optional)} writes it, salted with the run's {@code salt} (§5.6). */
    static byte[] write(List<byte[]> plain, List<byte[]> sealed, Optional<RepositoryKey> key, Salt salt) {
        return salt.apply(write(plain, sealed, key));
    }

    /** The stored bytes of an unsalted pack of {@code plain} and {@code sealed} delta frames (sealed: with the key). */
    static byte[] write(List<byte[]> plain, List<byte[]> sealed, Optional<RepositoryKey> key) {
        byte[] p = section(plain);
        byte[] s = sealed.isEmpty() ? new byte[0] : key.orElseThrow().encryptV4(section(sealed));
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.length + s.length + 8);
        out.write(TYPE);
        DeltaCodec.varint(out, p.length);
        out.writeBytes(p);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static byte[] section(List<byte[]> frames) {
        if (frames.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            DeltaCodec.varint(members, f.length);
            members.writeBytes(f);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeltaCodec.varint(out, frames.size());
        DeltaCodec.varint(out, members.size());
        out.writeBytes(BundleCompression.deflate(members.toByteArray(), Optional.empty()));
        return out.toByteArray();
    }

    /** A pack, salted or not (§5.6). */
    static boolean isPack(byte[] stored) {
        return stored.length > 0 && (stored[0] == TYPE || Salt.salted(stored, TYPE));
    }

    /** The plain (first) or sealed (second) section of a stored pack (salted or not), as stored. */
    static byte[] section(byte[] salted, boolean sealed, String what) {
        if (!isPack(salted)) {
            throw integrity(what + " is not a pack, but its entry names a member of one");
        }
        byte[] stored = Salt.strip(salted);
        if (stored == salted && stored[0] != TYPE) {
            throw integrity(what + " is a salted pack shorter than its salt");
        }
        int[] at = {1};
        long plainLength = DeltaCodec.readVarint(stored, at, what);
        if (plainLength > stored.length - at[0]) {
            throw integrity(what + " declares a plain section of " + plainLength + " bytes, beyond its end");
        }
        int end = at[0] + (int) plainLength;
        return sealed ? Arrays.copyOfRange(stored, end, stored.length) : Arrays.copyOfRange(stored, at[0], end);
    }

    /** The member frames of an opened (decrypted) section. */
    static List<byte[]> members(byte[] section, String what) {
        if (section.length == 0) {
            return List.of();
        }
        int[] at = {0};
        long count = DeltaCodec.readVarint(section, at, what);
        long inflated = DeltaCodec.readVarint(section, at, what);
        if (count > inflated) {
            throw integrity(what + " declares " + count + " members in " + inflated + " bytes");
        }
        byte[] data = BundleCompression.inflate(
                Arrays.copyOfRange(section, at[0], section.length), 0, inflated, Optional.empty(), what);
        List<byte[]> out = new ArrayList<>((int) count);
        int[] p = {0};
        for (long i = 0; i < count; i++) {
            long len = DeltaCodec.readVarint(data, p, what);
            if (len > data.length - p[0]) {
                throw integrity(what + ": member " + i + " runs past the end of its section");
            }
            out.add(Arrays.copyOfRange(data, p[0], p[0] + (int) len));
            p[0] += (int) len;
        }
        if (p[0] != data.length) {
            throw integrity(what + " has " + (data.length - p[0]) + " bytes after its " + count + " members");
        }
        return out;
    }

    private static VmConfigException integrity(String message) {
        return new VmConfigException(VmConfigException.Kind.INTEGRITY, message);
    }
}
