package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reverse of a VolumeMap, for failback (DR back onto production): every pair swapped. Only a map that is
 * one-to-one can be reversed: a name rule (regex, prefix, suffix; only the identity {@code prefix: ""} is its own
 * inverse) or two sources mapped onto one target would leave the reverse ambiguous, so they are refused, all named
 * at once, and nothing is guessed. Pure; {@link VolumeMap#invert()} is the entry point.
 */
final class VolumeMapInversion {
    private VolumeMapInversion() {}

    static VolumeMap invert(VolumeMap m, String origin) {
        List<String> problems = new ArrayList<>();
        for (ClaimRule r : m.rules()) {
            if (!identity(r)) {
                problems.add(r.describe() + " is a name rule: its reverse is not a name rule (write the pairs under"
                        + " 'claims' instead)");
            }
        }
        Map<String, String> namespaces = swap(m.namespaces(), "namespaces", problems);
        // A source namespace the map leaves as it is but that another namespace is mapped onto: both land in one
        // DR namespace, and the reverse could only send them back into one.
        for (String key : concat(m.claims().keySet(), m.networks().keySet())) {
            String ns = key.substring(0, key.indexOf('/'));
            if (!m.namespaces().containsKey(ns) && m.namespaces().containsValue(ns)) {
                problems.add("'" + key + "' lives in namespace '" + ns + "', which is not mapped (stays '" + ns
                        + "') while namespaces maps another namespace onto '" + ns + "' too");
            }
        }
        Map<String, String> claims = new TreeMap<>();
        Map<String, String> claimSource = new TreeMap<>();
        new TreeMap<>(m.claims()).forEach((key, drClaim) -> {
            int slash = key.indexOf('/');
            String reverseKey = m.namespace(key.substring(0, slash)) + "/" + drClaim;
            String before = claimSource.putIfAbsent(reverseKey, key);
            if (before != null) {
                problems.add("claims: '" + before + "' and '" + key + "' both map onto " + reverseKey);
            } else {
                claims.put(reverseKey, key.substring(slash + 1));
            }
        });
        Map<String, String> storageClasses = swap(m.storageClasses(), "storageClasses", problems);
        Map<String, String> networks = swap(m.networks(), "networks", problems);
        Map<String, String> clusterNetworks = swap(m.clusterNetworks(), "clusterNetworks", problems);
        if (!problems.isEmpty()) {
            throw VmConfigException.config(
                    origin + ": VolumeMap cannot be inverted, it is not one-to-one: " + String.join("; ", problems));
        }
        return new VolumeMap(
                m.mode(), m.unmapped(), namespaces, claims, m.rules(), storageClasses, networks, clusterNetworks);
    }

    private static boolean identity(ClaimRule r) {
        return (r instanceof ClaimRule.Prefix p && p.prefix().isEmpty())
                || (r instanceof ClaimRule.Suffix s && s.suffix().isEmpty());
    }

    private static List<String> concat(java.util.Collection<String> a, java.util.Collection<String> b) {
        List<String> out = new ArrayList<>(new java.util.TreeSet<>(a));
        out.addAll(new java.util.TreeSet<>(b));
        return out;
    }

    private static Map<String, String> swap(Map<String, String> forward, String key, List<String> problems) {
        Map<String, String> out = new TreeMap<>();
        new TreeMap<>(forward).forEach((from, to) -> {
            String before = out.putIfAbsent(to, from);
            if (before != null) {
                problems.add(key + ": '" + before + "' and '" + from + "' both map onto '" + to + "'");
            }
        });
        return out;
    }

    /** The map as the YAML tree {@link VolumeMapParser} reads: sorted keys, empty sections left out. */
    static ObjectNode tree(VolumeMap m) {
        ObjectNode t = Json.object();
        t.put("apiVersion", VolumeMapParser.API_VERSION);
        t.put("kind", VolumeMapParser.KIND);
        t.put("mode", m.mode().key());
        t.put("unmapped", m.unmapped().key());
        section(t, "namespaces", m.namespaces());
        section(t, "claims", m.claims());
        if (!m.rules().isEmpty()) {
            var rules = t.putArray("rules");
            for (ClaimRule r : m.rules()) {
                ObjectNode o = rules.addObject();
                if (r instanceof ClaimRule.Regex x) {
                    o.put("regex", x.pattern().pattern()).put("replace", x.replace());
                } else if (r instanceof ClaimRule.Prefix p) {
                    o.put("prefix", p.prefix());
                } else if (r instanceof ClaimRule.Suffix s) {
                    o.put("suffix", s.suffix());
                }
            }
        }
        section(t, "storageClasses", m.storageClasses());
        section(t, "networks", m.networks());
        section(t, "clusterNetworks", m.clusterNetworks());
        return t;
    }

    private static void section(ObjectNode t, String key, Map<String, String> values) {
        if (!values.isEmpty()) {
            ObjectNode o = t.putObject(key);
            new TreeMap<>(values).forEach(o::put);
        }
    }
}
