package io.vmconfig.core.repo;

/** Opens the blob store a repository URL names; the composition root picks the adapter. */
@FunctionalInterface
public interface BlobStoreOpener {
    BlobStore open(String repositoryUrl);
}
