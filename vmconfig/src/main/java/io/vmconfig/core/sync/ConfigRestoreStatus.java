package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The status of a ConfigRestore (deploy/crds/configrestores.yaml), decided purely: its phase ({@code Completed},
 * {@code PartiallyFailed}, {@code Refused}, {@code Failed}), one condition {@code Succeeded} with a reason and a
 * message, the set restored, counts by VM result, and per-VM results (the first {@link #MAX_VMS}; {@code vmCount}
 * counts all). A request runs once per generation ({@link #due}): like a Velero Restore, it is a request, not a
 * desired state; only a run that could not start for a passing reason (the API server or the repository
 * unreachable) is tried again on a later pass.
 */
public final class ConfigRestoreStatus {
    public static final int MAX_VMS = 50;
    public static final String COMPLETED = "Completed";
    public static final String PARTIALLY_FAILED = "PartiallyFailed";
    public static final String REFUSED = "Refused";
    public static final String FAILED = "Failed";
    /** Failures of these kinds are tried again on the next pass: nothing about the request is wrong. */
    private static final Set<String> RETRIED = Set.of("PassFailedTransient", "PassFailedIo");

    private ConfigRestoreStatus() {}

    /** One VM's line: source, target (or "-"), result (created, updated, ..., refused, failed), codes, reasons. */
    public record VmLine(String vm, String target, String result, List<String> codes, List<String> reasons) {
        public VmLine {
            codes = List.copyOf(codes);
            reasons = List.copyOf(reasons);
        }
    }

    /** Whether the controller acts on this ConfigRestore now: a new generation, or a run that may succeed later. */
    public static boolean due(JsonNode configRestore) {
        JsonNode status = configRestore.path("status");
        long generation = configRestore.path("metadata").path("generation").asLong(0);
        if (!status.has("observedGeneration")
                || status.path("observedGeneration").asLong() != generation) {
            return true;
        }
        return FAILED.equals(status.path("phase").asText())
                && RETRIED.contains(status.path("reason").asText());
    }

    /** A run that applied (some of) the plan: one line per VM in plan order (a VM not written is "failed"). */
    public static ObjectNode applied(long generation, Instant now, String setId, List<VmLine> lines) {
        ObjectNode s = base(generation, now).put("set", setId);
        ObjectNode counts = s.putObject("counts");
        for (String k : List.of("created", "updated", "unchanged", "blocked", "skipped", "failed")) {
            counts.put(k, 0);
        }
        for (VmLine l : lines) {
            counts.put(l.result(), counts.path(l.result()).asInt() + 1);
        }
        vms(s, lines);
        int bad = counts.path("blocked").asInt() + counts.path("failed").asInt();
        String message = bad == 0
                ? lines.size() + " VM(s) of set " + setId + " restored or in step"
                        + (counts.path("skipped").asInt() > 0
                                ? ", " + counts.path("skipped").asInt() + " left alone (vms)"
                                : "")
                : bad + " of " + lines.size() + " VM(s) of set " + setId + " blocked or not written (vms)";
        if (lines.isEmpty()) {
            message = "no VM of set " + setId + " matches the request";
        }
        return finish(
                s,
                bad == 0 ? COMPLETED : PARTIALLY_FAILED,
                bad == 0,
                bad == 0 ? "Restored" : counts.path("failed").asInt() > 0 ? "ApplyFailed" : "VmsBlocked",
                message);
    }

    /**
     * Refused by the tenant policy, nothing written: {@code code} the first refusal's reason code, {@code lines} the
     * VMs refused (empty when the repository itself is not allowed).
     */
    public static ObjectNode refused(
            long generation, Instant now, String setId, String code, String message, List<VmLine> lines) {
        ObjectNode s = base(generation, now);
        if (setId != null) {
            s.put("set", setId);
        }
        vms(s, lines);
        return finish(s, REFUSED, false, camel(code), message);
    }

    /** The request could not run: {@code kind} the error's class (CONFIG, TRANSIENT, ...), the message names why. */
    public static ObjectNode failed(long generation, Instant now, String kind, String message) {
        return finish(base(generation, now), FAILED, false, "PassFailed" + camel(kind), message);
    }

    private static ObjectNode base(long generation, Instant now) {
        ObjectNode s = io.vmconfig.core.json.Json.object();
        s.put("observedGeneration", generation);
        s.put("completionTime", now.toString());
        return s;
    }

    private static void vms(ObjectNode s, List<VmLine> lines) {
        s.put("vmCount", lines.size());
        ArrayNode out = s.putArray("vms");
        for (VmLine l : lines.subList(0, Math.min(lines.size(), MAX_VMS))) {
            ObjectNode o =
                    out.addObject().put("vm", l.vm()).put("target", l.target()).put("result", l.result());
            if (!l.codes().isEmpty()) {
                l.codes().forEach(c -> o.withArray("codes").add(c));
            }
            if (!l.reasons().isEmpty()) {
                l.reasons().forEach(r -> o.withArray("reasons").add(r));
            }
        }
    }

    private static ObjectNode finish(ObjectNode s, String phase, boolean ok, String reason, String message) {
        s.put("phase", phase).put("reason", reason).put("message", message);
        s.putArray("conditions")
                .addObject()
                .put("type", "Succeeded")
                .put("status", ok ? "True" : "False")
                .put("reason", reason)
                .put("message", message)
                .put("lastTransitionTime", s.path("completionTime").asText())
                .put("observedGeneration", s.path("observedGeneration").asLong());
        return s;
    }

    /** REPOSITORY_NOT_ALLOWED -> RepositoryNotAllowed, TRANSIENT -> Transient. */
    static String camel(String code) {
        StringBuilder b = new StringBuilder();
        for (String part : code.toLowerCase(Locale.ROOT).split("_")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }
}
