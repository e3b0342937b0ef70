package io.vmconfig.core;

/**
 * The one exception type of vmconfig. It is unchecked and classified: adapters map their own failures to a
 * {@link Kind} in one place, and the CLI maps kinds to exit codes. Messages say what was being done and to which
 * object; they never carry secret values or credentials.
 */
public class VmConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, in classes that callers act on differently. */
    public enum Kind {
        /** An input object or file is malformed: bad JSON/YAML, missing fields, unknown apiVersion. */
        INVALID_INPUT,
        /** Operator configuration is wrong: a VolumeMap key, a flag, a URL. */
        CONFIG,
        /** A VM cannot be restored as asked (unmapped claim, failed pre-flight). */
        BLOCKED,
        /** Stored data failed a hash, signature or format check. */
        INTEGRITY,
        /** A remote or local store failed in a way that may pass on retry. */
        TRANSIENT,
        /** A remote or local store failed for good (permission, not found, ...). */
        IO,
        /** A safety rule refused the action (rollback, running VM, activated site). */
        REFUSED,
        /** A bug or an unexpected state. */
        INTERNAL
    }

    private final Kind kind;

    public VmConfigException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public VmConfigException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static VmConfigException invalid(String message) {
        return new VmConfigException(Kind.INVALID_INPUT, message);
    }

    public static VmConfigException config(String message) {
        return new VmConfigException(Kind.CONFIG, message);
    }
}
