package io.vmconfig.core.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The status of a ConfigSync (deploy/crds/configsyncs.yaml) after a pass, decided purely from what the pass found:
 * conditions Ready / Synced / Degraded with a reason code and a message (a condition's lastTransitionTime moves only
 * when its status changes), the set applied last and its capture time (kept from the previous status until a pass
 * applies every applicable VM of a newer set), the configuration RPO, counts by VM state, the activated VMs, and the
 * blocked VMs (the first {@link #MAX_BLOCKED} with their reason codes and reasons; {@code blockedCount} counts all).
 */
public final class ConfigSyncStatus {
    public static final int MAX_BLOCKED = 20;

    private ConfigSyncStatus() {}

    /** What a pass found: the set, one plan per VM, the VMs that failed to apply, and an integrity failure. */
    public record Pass(String setId, Instant setCreated, List<VmPlan> plans, int failed, boolean integrityFailure) {
        public Pass {
            plans = List.copyOf(plans);
        }
    }

    /**
     * The VolumeMap a pass used, by name, uid and generation (a new generation: its content changed; a new uid: it was
     * deleted and created again), kept in {@code status.volumeMap} so that a controller started after the map changed
     * sees it changed, instead of waiting for the ConfigSync's interval.
     */
    public record MapUsed(String name, String uid, long generation) {
        /** The VolumeMap object as read from the cluster. */
        public static MapUsed of(JsonNode map) {
            return from(map.path("metadata"));
        }

        /** What {@code status} recorded (empty: none, e.g. written by a controller before this field). */
        public static Optional<MapUsed> recorded(JsonNode status) {
            JsonNode m = status == null ? null : status.get("volumeMap");
            return m == null || !m.isObject() ? Optional.empty() : Optional.of(from(m));
        }

        /** name, uid, generation: metadata's fields, and the ones {@link #recordIn} writes. */
        private static MapUsed from(JsonNode n) {
            return new MapUsed(
                    n.path("name").asText(""),
                    n.path("uid").asText(""),
                    n.path("generation").asLong(0));
        }

        /** Records this map in {@code status} as the one its pass used. */
        public ObjectNode recordIn(ObjectNode status) {
            status.putObject("volumeMap").put("name", name).put("uid", uid).put("generation", generation);
            return status;
        }
    }

    /** A pass that ran (and may have left VMs blocked or failed). */
    public static ObjectNode after(JsonNode previous, long generation, Instant now, Pass pass) {
        ObjectNode s = base(previous, generation, now);
        int blocked = 0;
        int active = 0;
        ObjectNode counts = s.putObject("counts");
        for (SyncAction a : SyncAction.values()) {
            counts.put(a.state(), 0);
        }
        counts.put("failed", pass.failed());
        ArrayNode blockedVms = s.putArray("blockedVMs");
        for (VmPlan p : pass.plans()) {
            String key = p.action().state();
            counts.put(key, counts.path(key).asInt() + 1);
            if (p.codes().contains(ReasonCodes.ACTIVATED) || p.codes().contains(ReasonCodes.VM_ACTIVATED)) {
                active++;
            }
            if (p.action() == SyncAction.BLOCKED) {
                if (++blocked <= MAX_BLOCKED) {
                    ObjectNode b = blockedVms
                            .addObject()
                            .put("vm", p.source() == null ? "-" : p.source().toString())
                            .put("target", p.target() == null ? "-" : p.target().toString());
                    p.codes().forEach(c -> b.withArray("codes").add(c));
                    p.reasons().forEach(r -> b.withArray("reasons").add(r));
                }
            }
        }
        s.put("blockedCount", blocked).put("activeCount", active);
        boolean applied = pass.failed() == 0 && !pass.integrityFailure();
        if (applied) {
            s.put("lastAppliedSet", pass.setId())
                    .put("lastAppliedSetCapturedAt", pass.setCreated().toString());
        }
        boolean inSync = applied && blocked == 0;
        s.put("inSync", inSync);
        rpo(s, now);
        String syncedReason = pass.integrityFailure()
                ? "IntegrityFailure"
                : pass.failed() > 0 ? "ApplyFailed" : blocked > 0 ? "VmsBlocked" : "InSync";
        String syncedMessage = pass.integrityFailure()
                ? "set " + pass.setId() + " failed verification: not applied"
                : pass.failed() > 0
                        ? pass.failed() + " VM(s) of set " + pass.setId() + " could not be written"
                        : blocked > 0
                                ? blocked + " VM(s) of set " + pass.setId() + " are blocked (blockedVMs)"
                                : "set " + pass.setId() + " is applied"
                                        + (active > 0 ? "; " + active + " activated VM(s) left alone" : "");
        condition(s, previous, now, "Ready", true, "PassSucceeded", "the last pass ran at " + now);
        condition(s, previous, now, "Synced", inSync, syncedReason, syncedMessage);
        condition(
                s,
                previous,
                now,
                "Degraded",
                !inSync,
                inSync ? "AsExpected" : syncedReason,
                inSync ? "nothing needs attention" : syncedMessage);
        return s;
    }

    /**
     * A pass that could not run: the repository, a Secret, the map or the cluster failed; {@code kind} the error's
     * class (e.g. TRANSIENT), which becomes the reason (PassFailedTransient).
     */
    public static ObjectNode failed(JsonNode previous, long generation, Instant now, String kind, String message) {
        ObjectNode s = base(previous, generation, now);
        s.put("inSync", false);
        rpo(s, now);
        String reason = "PassFailed" + kind.charAt(0) + kind.substring(1).toLowerCase(Locale.ROOT);
        condition(s, previous, now, "Ready", false, reason, message);
        condition(s, previous, now, "Synced", false, reason, "no pass completed: " + message);
        condition(s, previous, now, "Degraded", true, reason, message);
        return s;
    }

    /** {@code spec.suspend}: nothing runs; the last figures stay. */
    public static ObjectNode suspended(JsonNode previous, long generation, Instant now) {
        ObjectNode s = base(previous, generation, now);
        rpo(s, now);
        condition(s, previous, now, "Ready", false, "Suspended", "spec.suspend is true: no pass runs");
        return s;
    }

    /** The previous figures kept (set applied, counts), this pass's generation and time. */
    private static ObjectNode base(JsonNode previous, long generation, Instant now) {
        ObjectNode s = previous != null && previous.isObject() ? ((ObjectNode) previous).deepCopy() : Json.object();
        s.put("observedGeneration", generation);
        s.put("lastPassTime", now.toString());
        return s;
    }

    private static void rpo(ObjectNode s, Instant now) {
        Optional<Instant> captured = Json.textAt(s, "lastAppliedSetCapturedAt").map(Instant::parse);
        if (captured.isEmpty()) {
            s.remove(List.of("configRPO", "configRPOSeconds"));
            return;
        }
        Duration d = Duration.between(captured.get(), now);
        long secs = Math.max(0, d.toSeconds());
        s.put("configRPOSeconds", secs);
        s.put(
                "configRPO",
                secs >= 3600
                        ? secs / 3600 + "h" + (secs % 3600) / 60 + "m"
                        : secs >= 60 ? secs / 60 + "m" : secs + "s");
    }

    /** Sets one condition; its lastTransitionTime stays unless its status changed. */
    private static void condition(
            ObjectNode s, JsonNode previous, Instant now, String type, boolean status, String reason, String message) {
        String st = status ? "True" : "False";
        String since = now.toString();
        for (JsonNode c : previous == null ? Json.object().arrayNode() : previous.path("conditions")) {
            if (type.equals(c.path("type").asText())
                    && st.equals(c.path("status").asText())
                    && c.hasNonNull("lastTransitionTime")) {
                since = c.path("lastTransitionTime").asText();
            }
        }
        ArrayNode out = Json.object().arrayNode();
        for (JsonNode c : s.path("conditions")) {
            if (!type.equals(c.path("type").asText())) {
                out.add(c);
            }
        }
        out.addObject()
                .put("type", type)
                .put("status", st)
                .put("reason", reason)
                .put("message", message)
                .put("lastTransitionTime", since)
                .put("observedGeneration", s.path("observedGeneration").asLong());
        s.set("conditions", out);
    }
}
