package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.json.Printable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a VolumeMap strictly: unknown keys, bad values and invalid regexes are refused with their names. */
final class VolumeMapParser {
    static final String API_VERSION = "vmconfig.io/v1";
    static final String KIND = "VolumeMap";
    /** {@code metadata}: a map file is also a VolumeMap object (deploy/crds); its name and labels mean nothing here. */
    private static final Set<String> KEYS = Set.of(
            "apiVersion",
            "kind",
            "metadata",
            "mode",
            "unmapped",
            "namespaces",
            "claims",
            "rules",
            "storageClasses",
            "networks",
            "clusterNetworks");

    private static final Pattern GROUP_REF = Pattern.compile("\\$(\\d+)|\\$\\{([A-Za-z][A-Za-z0-9]*)}");

    private VolumeMapParser() {}

    static VolumeMap parse(String text, String origin) {
        java.util.List<JsonNode> docs;
        try {
            docs = io.vmconfig.core.json.Yaml.parseAll(text == null ? "" : text, origin);
        } catch (VmConfigException e) {
            throw VmConfigException.config(
                    e.getMessage().replace(": not valid YAML/JSON:", ": VolumeMap is not valid YAML:"));
        }
        if (docs.size() > 1) {
            throw VmConfigException.config(origin + ": VolumeMap: the file holds " + docs.size()
                    + " YAML documents; a VolumeMap is exactly one (which one was meant?)");
        }
        return parse(docs.isEmpty() ? null : docs.get(0), origin);
    }

    static VolumeMap parse(JsonNode tree, String origin) {
        String where = origin + ": VolumeMap";
        if (tree == null || !tree.isObject()) {
            throw VmConfigException.config(where + " must be a YAML mapping");
        }
        Set<String> unknown = new TreeSet<>();
        tree.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw VmConfigException.config(
                    where + ": unknown key(s) " + unknown + " (known: " + new TreeSet<>(KEYS) + ")");
        }
        if (!API_VERSION.equals(tree.path("apiVersion").asText(null))) {
            throw VmConfigException.config(where + ": apiVersion must be " + API_VERSION + ", not '"
                    + tree.path("apiVersion").asText("") + "'");
        }
        if (!KIND.equals(tree.path("kind").asText(null))) {
            throw VmConfigException.config(where + ": kind must be " + KIND + ", not '"
                    + tree.path("kind").asText("") + "'");
        }
        RestoreMode mode = RestoreMode.parse(text(tree, "mode", where, "failover"), where);
        UnmappedPolicy unmapped = UnmappedPolicy.parse(text(tree, "unmapped", where, "fail"), where);
        Map<String, String> claims = stringMap(tree, "claims", where);
        claims.keySet().forEach(k -> requireQualified(k, where + ": claims key"));
        claims.forEach((k, v) -> requireName(v, where + ": claims['" + k + "']"));
        Map<String, String> networks = stringMap(tree, "networks", where);
        networks.keySet().forEach(k -> requireQualified(k, where + ": networks key"));
        networks.forEach((k, v) -> {
            requireQualified(v, where + ": networks['" + k + "']");
            requireNamespace(v.substring(0, v.indexOf('/')), where + ": networks['" + k + "']");
        });
        Map<String, String> namespaces = stringMap(tree, "namespaces", where);
        namespaces.forEach((k, v) -> {
            requireNamespace(k, where + ": namespaces key");
            requireNamespace(v, where + ": namespaces['" + k + "']");
        });
        return new VolumeMap(
                mode,
                unmapped,
                namespaces,
                claims,
                rules(tree, where),
                stringMap(tree, "storageClasses", where),
                networks,
                stringMap(tree, "clusterNetworks", where));
    }

    private static String text(JsonNode tree, String key, String where, String dflt) {
        JsonNode n = tree.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw VmConfigException.config(where + ": " + key + " must be a string");
        }
        return n.asText();
    }

    private static Map<String, String> stringMap(JsonNode tree, String key, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode n = tree.get(key);
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw VmConfigException.config(where + ": " + key + " must be a mapping");
        }
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
                throw VmConfigException.config(
                        where + ": " + key + "['" + e.getKey() + "'] must be a non-empty string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    private static void requireQualified(String key, String where) {
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
            throw VmConfigException.config(where + " '" + key + "' must be NAMESPACE/NAME");
        }
    }

    /** A namespace is a DNS label (RFC 1123): what Kubernetes accepts, and safe as a folder name. */
    private static void requireNamespace(String ns, String where) {
        if (!io.vmconfig.core.vm.VirtualMachines.isValidNamespace(ns)) {
            throw VmConfigException.config(where + " '" + Printable.escape(ns) + "' is not a valid namespace (a DNS"
                    + " label: lower-case letters, digits and '-', at most 63 characters)");
        }
    }

    private static void requireName(String name, String where) {
        if (!io.vmconfig.core.vm.VirtualMachines.isValidName(name)) {
            throw VmConfigException.config(where + " '" + Printable.escape(name) + "' is not a valid PVC name (a DNS"
                    + " subdomain: lower-case letters, digits, '-' and '.', at most 253 characters)");
        }
    }

    private static List<ClaimRule> rules(JsonNode tree, String where) {
        List<ClaimRule> out = new ArrayList<>();
        JsonNode n = tree.get("rules");
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw VmConfigException.config(where + ": rules must be a list");
        }
        for (int i = 0; i < n.size(); i++) {
            out.add(rule(n.get(i), i, where + ": rules[" + i + "]"));
        }
        return out;
    }

    private static ClaimRule rule(JsonNode r, int i, String where) {
        if (!r.isObject()) {
            throw VmConfigException.config(where + " must be a mapping with regex+replace, prefix or suffix");
        }
        Set<String> keys = new TreeSet<>();
        r.fieldNames().forEachRemaining(keys::add);
        if (keys.equals(Set.of("prefix"))) {
            return new ClaimRule.Prefix(value(r, "prefix", where, true), i);
        }
        if (keys.equals(Set.of("suffix"))) {
            return new ClaimRule.Suffix(value(r, "suffix", where, true), i);
        }
        if (keys.equals(Set.of("regex", "replace"))) {
            String regex = value(r, "regex", where, false);
            String replace = value(r, "replace", where, true);
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw VmConfigException.config(where + ": invalid regex '" + regex + "': " + e.getDescription());
            }
            checkGroupRefs(p, replace, where);
            return new ClaimRule.Regex(p, replace, i);
        }
        throw VmConfigException.config(
                where + ": keys " + keys + " are not a rule; use {regex, replace}, {prefix} or {suffix}");
    }

    private static String value(JsonNode r, String key, String where, boolean emptyOk) {
        JsonNode v = r.get(key);
        if (v == null || !v.isTextual() || (!emptyOk && v.asText().isEmpty())) {
            throw VmConfigException.config(
                    where + ": " + key + " must be a " + (emptyOk ? "" : "non-empty ") + "string");
        }
        return v.asText();
    }

    private static void checkGroupRefs(Pattern p, String replace, String where) {
        int groups = p.matcher("").groupCount();
        Matcher m = GROUP_REF.matcher(replace);
        while (m.find()) {
            if (m.group(1) != null && Integer.parseInt(m.group(1)) > groups) {
                throw VmConfigException.config(where + ": replace '" + replace + "' refers to group $" + m.group(1)
                        + " but the regex has " + groups + " group(s)");
            }
            if (m.group(2) != null && !p.pattern().contains("(?<" + m.group(2) + ">")) {
                throw VmConfigException.config(
                        where + ": replace '" + replace + "' refers to unknown group ${" + m.group(2) + "}");
            }
        }
        String stripped =
                GROUP_REF.matcher(replace).replaceAll("").replace("\\\\", "").replace("\\$", "");
        if (stripped.contains("$") || stripped.endsWith("\\")) {
            throw VmConfigException.config(where + ": replace '" + replace + "' has a stray '$' or '\\'");
        }
    }
}
