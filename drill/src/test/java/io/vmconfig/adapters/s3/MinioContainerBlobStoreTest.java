package io.vmconfig.adapters.s3;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.vmconfig.core.repo.BlobStore;
import io.vmconfig.core.repo.BlobStoreContract;
import java.util.Optional;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same contract against a real MinIO server; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class MinioContainerBlobStoreTest extends BlobStoreContract {
    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z");

    private static int buckets;

    @Override
    protected BlobStore newStore() throws Exception {
        String bucket = "vmconfig-" + ++buckets;
        S3Location loc = S3Location.parse("s3://" + bucket + "/repo?endpoint=" + MINIO.getS3URL());
        S3Credentials creds = new S3Credentials(MINIO.getUserName(), MINIO.getPassword(), Optional.empty());
        MinioClient client = S3Clients.create(loc, creds);
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        return new S3BlobStore(client, bucket, loc.prefix());
    }
}
