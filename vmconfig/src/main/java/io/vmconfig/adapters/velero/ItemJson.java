package io.vmconfig.adapters.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.protobuf.ByteString;
import io.vmconfig.core.json.Json;
import io.vmconfig.core.velero.Items;

/** The JSON carried in the protocol's bytes fields, read into and written from Jackson trees. */
final class ItemJson {
    private ItemJson() {}

    /** Empty bytes read as a missing node; malformed JSON is an invalid-input error naming the field. */
    static JsonNode read(ByteString bytes, String field, String plugin) {
        if (bytes.isEmpty()) {
            return MissingNode.getInstance();
        }
        return Json.parse(bytes.newInput(), field + " sent to " + plugin);
    }

    static ByteString write(JsonNode item) {
        Items.requireObject(item, "returned item");
        return ByteString.copyFrom(Json.compactBytes(item));
    }
}
