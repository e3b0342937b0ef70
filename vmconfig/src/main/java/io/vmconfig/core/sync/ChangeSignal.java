package io.vmconfig.core.sync;

/**
 * Whether a change the controller's watch saw is work for the sync loop (no I/O): one home for the rule that lets a
 * ConfigRestore, ConfigSync or VolumeMap be served soon instead of at the next {@code --interval}.
 *
 * <p>Work is a new object or a new {@code metadata.generation} (the API server bumps it when the spec changes, not
 * when the status subresource is written): so the controller's own status writes never wake it again. Objects listed
 * when the watch starts are not news (the loop's own pass reads them). A deletion is not work: a deleted request or
 * ConfigSync asks for nothing, and a deleted VolumeMap fails the pass that next needs it either way.
 */
public final class ChangeSignal {
    private ChangeSignal() {}

    /** How the object came: listed when the watch started, or one of the watch's events. */
    public enum Type {
        LISTED,
        ADDED,
        MODIFIED,
        DELETED
    }

    /** Why the loop is (not) woken. */
    public enum Reason {
        CREATED,
        SPEC_CHANGED,
        ALREADY_SEEN,
        STATUS_ONLY,
        LISTED_AT_START,
        DELETED
    }

    /**
     * One object as the watch reported it: {@code generation} its metadata.generation (0 when the server keeps none),
     * {@code observedGeneration} its status' (-1: none).
     */
    public record Change(
            String kind, Type type, String namespace, String name, long generation, long observedGeneration) {
        /** The key under which the caller remembers the generation seen. */
        public String key() {
            return kind + " " + (namespace == null ? "" : namespace + "/") + name;
        }
    }

    public record Decision(boolean wake, Reason reason) {}

    /**
     * Decides on {@code change}, given the generation the caller last saw of that object ({@code null}: none since
     * its watch started). The caller remembers {@code change.generation()} after every decision but DELETED.
     */
    public static Decision decide(Long seen, Change change) {
        return switch (change.type()) {
            case LISTED -> new Decision(false, Reason.LISTED_AT_START);
            case DELETED -> new Decision(false, Reason.DELETED);
            case ADDED ->
                seen != null && change.generation() <= seen
                        ? new Decision(false, Reason.ALREADY_SEEN)
                        : new Decision(true, Reason.CREATED);
            case MODIFIED -> {
                if (seen != null) {
                    yield change.generation() > seen
                            ? new Decision(true, Reason.SPEC_CHANGED)
                            : new Decision(false, Reason.STATUS_ONLY);
                }
                // not seen before (the watch started after it changed): its status says whether it was acted on
                yield change.observedGeneration() >= 0 && change.generation() <= change.observedGeneration()
                        ? new Decision(false, Reason.STATUS_ONLY)
                        : new Decision(true, Reason.SPEC_CHANGED);
            }
        };
    }
}
