package io.vmconfig.adapters.s3;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BlobStore;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The repository in an S3 bucket under a prefix, through the MinIO Java SDK (repository-format.md §1). */
public final class S3BlobStore implements BlobStore {
    private final MinioClient client;
    private final String bucket;
    private final String prefix;

    public S3BlobStore(MinioClient client, String bucket, String prefix) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** A store for {@code loc} with {@code credentials}, using {@link S3Clients}. */
    public static S3BlobStore open(S3Location loc, S3Credentials credentials) {
        return new S3BlobStore(S3Clients.create(loc, credentials), loc.bucket(), loc.prefix());
    }

    @Override
    public void put(String name, byte[] data) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(prefix + name).stream(
                            new ByteArrayInputStream(data), data.length, -1)
                    .contentType("application/octet-stream")
                    .build());
        } catch (Exception e) {
            throw S3Errors.classify("PUT", bucket, prefix + name, e);
        }
    }

    @Override
    public Optional<byte[]> get(String name) {
        try (GetObjectResponse r = client.getObject(
                GetObjectArgs.builder().bucket(bucket).object(prefix + name).build())) {
            return Optional.of(r.readAllBytes());
        } catch (Exception e) {
            if (S3Errors.notFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.classify("GET", bucket, prefix + name, e);
        }
    }

    @Override
    public Optional<BlobInfo> head(String name) {
        try {
            StatObjectResponse s = client.statObject(StatObjectArgs.builder()
                    .bucket(bucket)
                    .object(prefix + name)
                    .build());
            return Optional.of(new BlobInfo(s.size(), s.lastModified().toInstant()));
        } catch (Exception e) {
            if (S3Errors.notFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.classify("HEAD", bucket, prefix + name, e);
        }
    }

    @Override
    public List<String> list(String p) {
        List<String> names = new ArrayList<>();
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix + p)
                    .recursive(true)
                    .build())) {
                Item i = r.get();
                if (!i.isDir()) {
                    names.add(i.objectName().substring(prefix.length()));
                }
            }
        } catch (VmConfigException e) {
            throw e;
        } catch (Exception e) {
            throw S3Errors.classify("LIST", bucket, prefix + p, e);
        }
        names.sort(null);
        return names;
    }

    @Override
    public void delete(String name) {
        try {
            client.removeObject(RemoveObjectArgs.builder()
                    .bucket(bucket)
                    .object(prefix + name)
                    .build());
        } catch (Exception e) {
            if (!S3Errors.notFound(e)) {
                throw S3Errors.classify("DELETE", bucket, prefix + name, e);
            }
        }
    }

    /** An S3 PUT is durable when it returns: nothing to do. */
    @Override
    public void sync(java.util.Collection<String> names) {}
}
