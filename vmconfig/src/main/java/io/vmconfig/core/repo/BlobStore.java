package io.vmconfig.core.repo;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The narrow port a repository lives in (repository-format.md §1). Implementations classify every failure as a
 * {@link io.vmconfig.core.VmConfigException} (TRANSIENT when a retry may help, IO otherwise) and never put
 * credentials into messages.
 */
public interface BlobStore {
    /** Stores {@code data} under {@code name}, atomically: afterwards the object is complete or absent. */
    void put(String name, byte[] data);

    /** The object's bytes, or empty when there is no such object. */
    Optional<byte[]> get(String name);

    /** Size and last-modified time, or empty when there is no such object. */
    Optional<BlobInfo> head(String name);

    /** Names starting with {@code prefix}, sorted. The listing may lag writes. */
    List<String> list(String prefix);

    /** Deletes the object; deleting an absent object is not an error. */
    void delete(String name);

    /**
     * Makes the named objects durable, put earlier perhaps by another process: afterwards a crash of the machine
     * does not lose them. A writer calls it before it writes an object that names them (the sealer before the set
     * manifest, repository-format.md §11). Stores whose put is durable when it returns (S3, memory) do nothing;
     * an absent object is the caller's to find (it reads what it names first), not an error here. Every store
     * decides for itself, so there is no default: a wrapper that forgot it would silently drop durability.
     */
    void sync(Collection<String> names);

    /** What {@link #head} tells about an object. */
    record BlobInfo(long size, Instant lastModified) {}
}
