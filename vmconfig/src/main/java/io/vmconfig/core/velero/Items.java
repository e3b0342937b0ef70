package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;

/** Reading the few metadata fields the plugin needs from an item, with errors that name the object. */
public final class Items {
    private Items() {}

    /** "Kind namespace/name" for messages and logs; never the object's content. */
    public static String describe(JsonNode item) {
        String kind = text(item, "kind");
        String ns = metadata(item, "namespace");
        String name = metadata(item, "name");
        String id = ns.isEmpty() ? name : ns + "/" + name;
        return (kind.isEmpty() ? "object" : kind) + " " + (id.isEmpty() ? "<unnamed>" : id);
    }

    /** The item as an object that carries a non-empty kind; Velero cannot decode anything else. */
    public static ObjectNode requireObject(JsonNode item, String what) {
        if (item == null || !item.isObject()) {
            throw VmConfigException.invalid(what + " is not a JSON object");
        }
        if (text(item, "kind").isEmpty()) {
            throw VmConfigException.invalid(what + " (" + describe(item) + ") has no kind");
        }
        return (ObjectNode) item;
    }

    public static String metadata(JsonNode item, String field) {
        JsonNode v = item == null ? null : item.path("metadata").get(field);
        return v != null && v.isTextual() ? v.asText() : "";
    }

    public static String label(JsonNode item, String key) {
        JsonNode v = item == null ? null : item.path("metadata").path("labels").get(key);
        return v != null && v.isTextual() ? v.asText() : "";
    }

    public static String annotation(JsonNode item, String key) {
        JsonNode v =
                item == null ? null : item.path("metadata").path("annotations").get(key);
        return v != null && v.isTextual() ? v.asText() : "";
    }

    /** Sets one annotation, creating metadata.annotations when missing. */
    public static void annotate(ObjectNode item, String key, String value) {
        ObjectNode metadata = item.with("metadata");
        metadata.with("annotations").put(key, value);
    }

    private static String text(JsonNode item, String field) {
        JsonNode v = item == null ? null : item.get(field);
        return v != null && v.isTextual() ? v.asText() : "";
    }
}
