package io.vmconfig.adapters.s3;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.VmConfigException.Kind;
import java.io.IOException;
import java.util.Set;

/**
 * Maps MinIO SDK failures to classified {@link VmConfigException}s. Messages name the operation, bucket and object
 * and the S3 error code, never the endpoint's credentials; SDK exceptions are not chained because their text can
 * carry request headers.
 */
final class S3Errors {
    static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject");
    private static final Set<String> TRANSIENT = Set.of(
            "SlowDown",
            "InternalError",
            "ServiceUnavailable",
            "RequestTimeout",
            "RequestTimeTooSkewed",
            "OperationAborted",
            "XMinioServerNotInitialized");
    private static final Set<String> CONFIG = Set.of(
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "NoSuchBucket",
            "AuthorizationHeaderMalformed",
            "InvalidBucketName",
            "AccessDenied",
            "InvalidRequest");

    private S3Errors() {}

    static boolean notFound(Exception e) {
        return root(e) instanceof ErrorResponseException r
                && NOT_FOUND.contains(r.errorResponse().code());
    }

    /** The SDK wraps failures of its async calls (ExecutionException, CompletionException, …): find the real one. */
    private static Throwable root(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException
                    || t instanceof ServerException
                    || t instanceof IOException
                    || t instanceof IllegalArgumentException) {
                return t;
            }
        }
        return e;
    }

    static VmConfigException classify(String op, String bucket, String key, Exception failure) {
        Throwable e = root(failure);
        String where = "S3 " + op + " s3://" + bucket + "/" + key;
        if (e instanceof ErrorResponseException r) {
            String code = r.errorResponse().code();
            Kind kind = TRANSIENT.contains(code) ? Kind.TRANSIENT : CONFIG.contains(code) ? Kind.CONFIG : Kind.IO;
            return new VmConfigException(kind, where + " failed: " + code);
        }
        if (e instanceof ServerException s) {
            Kind kind = s.statusCode() >= 500 || s.statusCode() == 429 ? Kind.TRANSIENT : Kind.IO;
            return new VmConfigException(kind, where + " failed: HTTP " + s.statusCode());
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return new VmConfigException(
                    Kind.CONFIG,
                    where + " failed: TLS: the endpoint's certificate is not "
                            + "trusted or the handshake failed (a private CA needs ?caBundle=FILE)");
        }
        if (e instanceof IllegalArgumentException) {
            return new VmConfigException(Kind.CONFIG, where + " is not a valid request: " + e.getMessage());
        }
        if (e instanceof IOException) {
            return new VmConfigException(
                    Kind.TRANSIENT, where + " failed: " + e.getClass().getSimpleName());
        }
        return new VmConfigException(Kind.IO, where + " failed: " + e.getClass().getSimpleName());
    }
}
