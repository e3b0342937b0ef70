package io.vmconfig.core.restore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vmconfig.core.VmConfigException;
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
    private static final Set<String> KEYS = Set.of("apiVersion", "kind", "mode", "unmapped", "namespaces", "claims",
            "rules", "storageClasses", "networks", "clusterNetworks");
    private static final Pattern GROUP_REF = Pattern.compile("\\$(\\d+)|\\$\\{([A-Za-z][A-Za-z0-9]*)}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private VolumeMapParser() {}

    static VolumeMap parse(String text, String origin) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            throw VmConfigException.config(origin + ": VolumeMap is not valid YAML: " + e.getOriginalMessage());
        }
        return parse(tree, origin);
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
            throw VmConfigException.config(where + ": unknown key(s) " + unknown + " (known: " + new TreeSet<>(KEYS) + ")");
        }
        if (!API_VERSION.equals(tree.path("apiVersion").asText(null))) {
            throw VmConfigException.config(where + ": apiVersion must be " + API_VERSION + ", not '"
                    + tree.path("apiVersion").asText("") + "'");
        }
        if (!KIND.equals(tree.path("kind").asText(null))) {
            throw VmConfigException.config(where + ": kind must be " + KIND + ", not '" + tree.path("kind").asText("") + "'");
        }
        RestoreMode mode = RestoreMode.parse(text(tree, "mode", where, "failover"), where);
        UnmappedPolicy unmapped = UnmappedPolicy.parse(text(tree, "unmapped", where, "fail"), where);
        Map<String, String> claims = stringMap(tree, "claims", where);
        claims.keySet().forEach(k -> requireQualified(k, where + ": claims key"));
        Map<String, String> networks = stringMap(tree, "networks", where);
        networks.keySet().forEach(k -> requireQualified(k, where + ": networks key"));
        return new VolumeMap(mode, unmapped, stringMap(tree, "namespaces", where), claims, rules(tree, where),
                stringMap(tree, "storageClasses", where), networks, stringMap(tree, "clusterNetworks", where));
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
                throw VmConfigException.config(where + ": " + key + "['" + e.getKey() + "'] must be a non-empty string");
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
        throw VmConfigException.config(where + ": keys " + keys + " are not a rule; use {regex, replace}, {prefix} or {suffix}");
    }

    private static String value(JsonNode r, String key, String where, boolean emptyOk) {
        JsonNode v = r.get(key);
        if (v == null || !v.isTextual() || (!emptyOk && v.asText().isEmpty())) {
            throw VmConfigException.config(where + ": " + key + " must be a " + (emptyOk ? "" : "non-empty ") + "string");
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
                throw VmConfigException.config(where + ": replace '" + replace + "' refers to unknown group ${"
                        + m.group(2) + "}");
            }
        }
        String stripped = GROUP_REF.matcher(replace).replaceAll("").replace("\\\\", "").replace("\\$", "");
        if (stripped.contains("$") || stripped.endsWith("\\")) {
            throw VmConfigException.config(where + ": replace '" + replace + "' has a stray '$' or '\\'");
        }
    }
}
