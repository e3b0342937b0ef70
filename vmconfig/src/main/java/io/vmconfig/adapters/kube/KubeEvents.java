package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Kubernetes Events (core/v1) on the DR cluster, de-duplicated like kubectl's event recorder: the same
 * (object, type, reason, message) bumps {@code count} and {@code lastTimestamp} of one Event instead of adding one.
 * The Event's name is derived from that key, so the de-duplication also holds across restarts and replicas (a
 * recorder's in-memory cache would not). Recording never fails the caller: a failed write is returned as false for
 * the caller to count and log. Only ever given the DR cluster.
 */
public final class KubeEvents {
    public static final String COMPONENT = "vmconfig-sync";
    /** An Event's message is capped as the API server caps it (1 KiB in events.k8s.io; kept well below). */
    static final int MAX_MESSAGE = 1000;

    private final KubeCluster dr;
    private final Clock clock;
    private final String host;

    public KubeEvents(KubeCluster dr, Clock clock, String host) {
        this.dr = dr;
        this.clock = clock;
        this.host = host;
    }

    /** The object an Event is about (uid may be empty when it does not exist). */
    public record Involved(String apiVersion, String kind, String namespace, String name, String uid) {
        static Involved of(ObjectNode o) {
            return new Involved(
                    o.path("apiVersion").asText(),
                    o.path("kind").asText(),
                    o.path("metadata").path("namespace").asText(),
                    o.path("metadata").path("name").asText(),
                    o.path("metadata").path("uid").asText(""));
        }
    }

    /** The VM on DR if it exists, else the sync's own Lease in {@code stateNamespace} (existing or not). */
    public Involved vmOrLease(String namespace, String name, String stateNamespace, String lease) {
        Optional<ObjectNode> vm = dr.get(KubeKind.VM, namespace, name);
        if (vm.isPresent()) {
            return Involved.of(vm.get());
        }
        return lease(stateNamespace, lease);
    }

    /** The sync's own Lease, for what has no DR object (a blocked VM never created, a deleted VM). */
    public Involved lease(String stateNamespace, String lease) {
        return dr.get(KubeKind.LEASE, stateNamespace, lease)
                .map(Involved::of)
                .orElse(new Involved(KubeKind.LEASE.apiVersion(), KubeKind.LEASE.kind(), stateNamespace, lease, ""));
    }

    /** Records one occurrence; {@code warning} makes it type Warning. True when the Event was written. */
    public boolean record(Involved on, boolean warning, String reason, String message) {
        String msg = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        String type = warning ? "Warning" : "Normal";
        String name = on.name() + "." + key(on, type, reason, msg);
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            for (int attempt = 1; ; attempt++) {
                Optional<ObjectNode> cur = dr.get(KubeKind.EVENT, on.namespace(), name);
                try {
                    if (cur.isEmpty()) {
                        dr.create(KubeKind.EVENT, event(on, name, type, reason, msg, now));
                    } else {
                        ObjectNode e = cur.get().deepCopy();
                        e.put("count", e.path("count").asInt(1) + 1);
                        e.put("lastTimestamp", now);
                        dr.update(KubeKind.EVENT, e);
                    }
                    return true;
                } catch (VmConfigException e) {
                    if (!KubeErrors.isConflict(e) || attempt >= KubeApplier.CONFLICT_RETRIES) {
                        throw e;
                    }
                }
            }
        } catch (VmConfigException e) {
            return false;
        }
    }

    private ObjectNode event(Involved on, String name, String type, String reason, String msg, String now) {
        ObjectNode e = Json.object();
        e.put("apiVersion", "v1").put("kind", "Event");
        e.putObject("metadata").put("namespace", on.namespace()).put("name", name);
        ObjectNode io = e.putObject("involvedObject")
                .put("apiVersion", on.apiVersion())
                .put("kind", on.kind())
                .put("namespace", on.namespace())
                .put("name", on.name());
        if (!on.uid().isEmpty()) {
            io.put("uid", on.uid());
        }
        e.put("type", type)
                .put("reason", reason)
                .put("message", msg)
                .put("count", 1)
                .put("firstTimestamp", now)
                .put("lastTimestamp", now);
        e.putObject("source").put("component", COMPONENT).put("host", host);
        e.put("reportingComponent", COMPONENT).put("reportingInstance", host);
        return e;
    }

    private static String key(Involved on, String type, String reason, String msg) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(String.join("\u0000", on.kind(), on.namespace(), on.name(), on.uid(), type, reason, msg)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
