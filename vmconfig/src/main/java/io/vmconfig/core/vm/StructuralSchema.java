package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.preflight.Problem;
import io.vmconfig.core.preflight.Reason;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CRD's structural schema (the {@code openAPIV3Schema} of one served version), as the API server applies it to a
 * custom resource: a field the schema does not declare is pruned silently (unless the level keeps unknown fields),
 * and a value of the wrong type is refused. vmconfig never prunes: a VM that would lose a field is blocked, naming it,
 * because a field newer than the DR cluster's KubeVirt is configuration that would be lost there (version skew).
 * {@code metadata} is the API server's own ObjectMeta and is not checked here.
 */
public final class StructuralSchema {
    private final JsonNode root;
    private final String origin;
    private final boolean valueRules;

    private StructuralSchema(JsonNode root, String origin, boolean valueRules) {
        this.root = root;
        this.origin = origin;
        this.valueRules = valueRules;
    }

    /**
     * The same schema also checking values as the API server's validation does: {@code enum}, {@code required} and
     * {@code maxItems} (SCHEMA_INVALID_VALUE). Used for vmconfig's own CRDs; the VM pre-flight keeps to what would be
     * pruned or mistyped.
     */
    public StructuralSchema withValueRules() {
        return new StructuralSchema(root, origin, true);
    }

    /** The schema of {@code version} in a {@code CustomResourceDefinition} object, if it has one. */
    public static Optional<StructuralSchema> fromCrd(JsonNode crd, String version) {
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (version.equals(v.path("name").asText())
                    && v.path("schema").path("openAPIV3Schema").isObject()) {
                return Optional.of(new StructuralSchema(
                        v.path("schema").path("openAPIV3Schema"),
                        "CustomResourceDefinition "
                                + crd.path("metadata").path("name").asText() + " version " + version,
                        false));
            }
        }
        return Optional.empty();
    }

    public String origin() {
        return origin;
    }

    /** Every field {@code object} has that the schema would prune or refuse. */
    public List<Problem> check(JsonNode object) {
        List<Problem> out = new ArrayList<>();
        required(object, root, "", out);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            if (f.equals("apiVersion") || f.equals("kind") || f.equals("metadata")) {
                continue;
            }
            JsonNode s = root.path("properties").get(f);
            if (s == null) {
                unknown(root, f, f, out);
            } else {
                walk(e.getValue(), s, f, out);
            }
        }
        return out;
    }

    private void walk(JsonNode value, JsonNode schema, String path, List<Problem> out) {
        if (value.isNull()) {
            return; // the API server drops nulls of non-nullable fields; nothing of the definition is lost
        }
        if (valueRules && schema.path("enum").isArray() && !contains(schema.path("enum"), value)) {
            out.add(new Problem(
                    Reason.SCHEMA_INVALID_VALUE,
                    path,
                    "is " + value + ", the CRD schema allows only " + schema.path("enum")));
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isTextual() && !value.isIntegralNumber()) {
                wrongType(value, "integer or string", path, out);
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    wrongType(value, "object", path, out);
                    return;
                }
                required(value, schema, path + ".", out);
                JsonNode props = schema.path("properties");
                JsonNode additional = schema.get("additionalProperties");
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String p = path + "." + e.getKey();
                    JsonNode s = props.get(e.getKey());
                    if (s != null) {
                        walk(e.getValue(), s, p, out);
                    } else if (additional != null && additional.isObject()) {
                        walk(e.getValue(), additional, p, out);
                    } else {
                        unknown(schema, e.getKey(), p, out);
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    wrongType(value, "array", path, out);
                    return;
                }
                if (valueRules
                        && schema.has("maxItems")
                        && value.size() > schema.path("maxItems").asInt()) {
                    out.add(new Problem(
                            Reason.SCHEMA_INVALID_VALUE,
                            path,
                            "has " + value.size() + " items, the CRD schema allows at most "
                                    + schema.path("maxItems").asInt()));
                }
                JsonNode items = schema.path("items");
                for (int i = 0; i < value.size(); i++) {
                    if (items.isObject()) {
                        walk(value.get(i), items, path + "[" + i + "]", out);
                    }
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    wrongType(value, "string", path, out);
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    wrongType(value, "integer", path, out);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    wrongType(value, "number", path, out);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    wrongType(value, "boolean", path, out);
                }
            }
            default -> {} // no type: x-kubernetes-preserve-unknown-fields or embedded resource, anything goes
        }
    }

    private void required(JsonNode value, JsonNode schema, String prefix, List<Problem> out) {
        if (!valueRules) {
            return;
        }
        for (JsonNode r : schema.path("required")) {
            if (!value.has(r.asText()) || value.get(r.asText()).isNull()) {
                out.add(new Problem(Reason.SCHEMA_INVALID_VALUE, prefix + r.asText(), "is required by the CRD schema"));
            }
        }
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private void unknown(JsonNode schema, String field, String path, List<Problem> out) {
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        out.add(new Problem(
                Reason.SCHEMA_UNKNOWN_FIELD,
                path,
                "field '" + field + "' is not in " + origin
                        + "; the API server would drop it silently (a newer KubeVirt than the DR cluster's?)"));
    }

    private static void wrongType(JsonNode value, String expected, String path, List<Problem> out) {
        out.add(new Problem(
                Reason.SCHEMA_WRONG_TYPE,
                path,
                "is " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", the CRD schema wants "
                        + expected));
    }
}
