package io.vmconfig.adapters.s3;

import io.vmconfig.core.VmConfigException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a repository is in S3, from {@code s3://bucket/prefix?endpoint=…&region=…&pathStyle=true&caBundle=FILE
 * &credentials=FILE&profile=NAME}. Never holds secrets: credentials come from a file or the environment.
 */
public record S3Location(
        String bucket,
        String prefix,
        String endpoint,
        String region,
        boolean pathStyle,
        Optional<String> caBundle,
        Optional<String> credentialsFile,
        Optional<String> profile) {
    private static final Set<String> PARAMS =
            Set.of("endpoint", "region", "pathStyle", "caBundle", "credentials", "profile");

    public static S3Location parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw VmConfigException.config("not a repository URL: " + e.getMessage());
        }
        if (!"s3".equals(uri.getScheme())
                || uri.getHost() == null
                || uri.getHost().isBlank()) {
            throw VmConfigException.config("expected s3://BUCKET[/PREFIX][?endpoint=URL…]");
        }
        if (uri.getUserInfo() != null) {
            throw VmConfigException.config("credentials do not belong in the repository URL: use a credentials "
                    + "file (?credentials=FILE&profile=NAME) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        }
        Map<String, String> q = query(uri.getRawQuery());
        String prefix =
                uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
        String endpoint = q.getOrDefault("endpoint", "https://s3.amazonaws.com");
        boolean pathStyle = Boolean.parseBoolean(q.getOrDefault("pathStyle", "true"));
        return new S3Location(
                uri.getHost(),
                prefix.isEmpty() ? "" : prefix + "/",
                endpoint,
                q.getOrDefault("region", "us-east-1"),
                pathStyle,
                Optional.ofNullable(q.get("caBundle")),
                Optional.ofNullable(q.get("credentials")),
                Optional.ofNullable(q.get("profile")));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            if (!PARAMS.contains(k)) {
                throw VmConfigException.config("unknown repository URL parameter '" + k + "' (known: " + PARAMS + ")");
            }
            q.put(k, v);
        }
        return q;
    }
}
