/**
 * The vmconfig repository format (docs/repository-format.md): ids, canonical JSON, the root object, bundles, set
 * manifests and sub-manifests, signatures and encryption, revision ordering, prune planning, and the narrow
 * {@link io.vmconfig.core.repo.BlobStore} port. Pure: no S3 client, no CLI, no cluster client.
 */
package io.vmconfig.core.repo;
