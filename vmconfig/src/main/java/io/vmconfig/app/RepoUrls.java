package io.vmconfig.app;

import io.vmconfig.adapters.fs.FolderBlobStore;
import io.vmconfig.adapters.s3.S3BlobStore;
import io.vmconfig.adapters.s3.S3Credentials;
import io.vmconfig.adapters.s3.S3Location;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreOpener;
import io.vmconfig.core.repo.RetryingBlobStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Picks the blob-store adapter a repository URL names: {@code s3://…} is S3 (with retries and backoff for
 * transient failures), {@code file:///PATH} or a plain path is a local folder (repository-format.md §1).
 */
public final class RepoUrls implements BlobStoreOpener {
    static final int ATTEMPTS = 5;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private final Map<String, String> env;
    private final RetryingBlobStore.Sleeper sleeper;
    private final FolderBlobStore.Durability folderDurability;

    public RepoUrls(Map<String, String> env, RetryingBlobStore.Sleeper sleeper) {
        this(env, sleeper, FolderBlobStore.Durability.EVERY_PUT);
    }

    /**
     * {@code folderDurability} is when a folder repository's puts reach the disk: the Velero plugin, which only
     * stages, passes {@code AT_SYNC} (the sealer makes staged objects durable, §11); everything else every put.
     */
    public RepoUrls(
            Map<String, String> env, RetryingBlobStore.Sleeper sleeper, FolderBlobStore.Durability folderDurability) {
        this.env = Map.copyOf(env);
        this.sleeper = sleeper;
        this.folderDurability = folderDurability;
    }

    @Override
    public BlobStore open(String url) {
        if (url.startsWith("s3://")) {
            S3Location loc = S3Location.parse(url);
            return new RetryingBlobStore(
                    S3BlobStore.open(loc, S3Credentials.resolve(loc, env)), ATTEMPTS, FIRST_BACKOFF, sleeper);
        }
        if (url.startsWith("file:")) {
            try {
                return new FolderBlobStore(Path.of(URI.create(url)), folderDurability);
            } catch (IllegalArgumentException e) {
                throw VmConfigException.config("not a file URL: " + url + " (use file:///ABSOLUTE/PATH)");
            }
        }
        if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw VmConfigException.config("unknown repository URL scheme in '" + url.replaceAll("\\?.*", "")
                    + "': use s3://, file:// or a path");
        }
        if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            // s3:/bucket, s3:bucket, http:host…: a mistyped URL, never a folder named "s3:"
            throw VmConfigException.config("'" + url.replaceAll("\\?.*", "") + "' looks like a mistyped URL: use "
                    + "s3://BUCKET/PREFIX, file:///PATH, or ./" + url.replaceAll("\\?.*", "")
                    + " for a folder whose name has a colon");
        }
        return new FolderBlobStore(Path.of(url), folderDurability);
    }
}
