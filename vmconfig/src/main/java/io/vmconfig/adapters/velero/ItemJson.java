package io.vmconfig.adapters.velero;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.protobuf.ByteString;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.velero.Items;
import java.io.IOException;

/** The JSON carried in the protocol's bytes fields, read into and written from Jackson trees. */
final class ItemJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ItemJson() {}

    /** Empty bytes read as a missing node; malformed JSON is an invalid-input error naming the field. */
    static JsonNode read(ByteString bytes, String field, String plugin) {
        if (bytes.isEmpty()) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(bytes.newInput());
        } catch (IOException e) {
            throw VmConfigException.invalid(
                    field + " sent to " + plugin + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static ByteString write(JsonNode item) {
        Items.requireObject(item, "returned item");
        try {
            return ByteString.copyFrom(MAPPER.writeValueAsBytes(item));
        } catch (JsonProcessingException e) {
            throw new VmConfigException(VmConfigException.Kind.INTERNAL, "cannot write " + Items.describe(item), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
