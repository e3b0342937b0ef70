package io.vmconfig.adapters.s3;

import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * S3 credentials: explicit, from an AWS shared-credentials file with a profile (Velero's {@code /credentials/cloud}
 * format), or from the environment. {@link #toString()} never shows the secret.
 */
public record S3Credentials(String accessKey, String secretKey, Optional<String> sessionToken) {
    @Override
    public String toString() {
        return "S3Credentials[accessKey=" + (accessKey.length() > 4 ? accessKey.substring(0, 4) + "…" : "…") + "]";
    }

    /**
     * The credentials for a location: its {@code credentials} file (profile from the URL, then AWS_PROFILE, then
     * "default"); else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; else AWS_SHARED_CREDENTIALS_FILE or
     * ~/.aws/credentials.
     */
    public static S3Credentials resolve(S3Location loc, Map<String, String> env) {
        String profile = loc.profile().orElse(env.getOrDefault("AWS_PROFILE", "default"));
        if (loc.credentialsFile().isPresent()) {
            return fromFile(Path.of(loc.credentialsFile().get()), profile);
        }
        String ak = env.get("AWS_ACCESS_KEY_ID");
        String sk = env.get("AWS_SECRET_ACCESS_KEY");
        if (ak != null && sk != null) {
            return new S3Credentials(ak, sk, Optional.ofNullable(env.get("AWS_SESSION_TOKEN")));
        }
        String file = env.get("AWS_SHARED_CREDENTIALS_FILE");
        Path p = file != null ? Path.of(file) : Path.of(env.getOrDefault("HOME", "."), ".aws", "credentials");
        if (!Files.exists(p)) {
            throw VmConfigException.config("no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                    + "or give a credentials file (?credentials=FILE or AWS_SHARED_CREDENTIALS_FILE)");
        }
        return fromFile(p, profile);
    }

    public static S3Credentials fromFile(Path file, String profile) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw VmConfigException.config("cannot read the S3 credentials file " + file);
        }
        return parse(text, profile, file.toString());
    }

    /** Parses the INI format of an AWS shared-credentials file and picks {@code profile}. */
    public static S3Credentials parse(String text, String profile, String origin) {
        Map<String, Map<String, String>> sections = new HashMap<>();
        Map<String, String> current = null;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                String name = line.substring(1, line.length() - 1).strip().replaceFirst("^profile\\s+", "");
                current = sections.computeIfAbsent(name, k -> new HashMap<>());
            } else if (current != null && line.contains("=")) {
                int eq = line.indexOf('=');
                current.put(
                        line.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT),
                        line.substring(eq + 1).strip());
            }
        }
        Map<String, String> s = sections.get(profile);
        if (s == null || s.get("aws_access_key_id") == null || s.get("aws_secret_access_key") == null) {
            throw VmConfigException.config("S3 credentials file " + origin + " has no profile '" + profile
                    + "' with aws_access_key_id and aws_secret_access_key");
        }
        return new S3Credentials(
                s.get("aws_access_key_id"),
                s.get("aws_secret_access_key"),
                Optional.ofNullable(s.get("aws_session_token")));
    }
}
