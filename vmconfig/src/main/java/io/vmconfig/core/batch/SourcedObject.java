package io.vmconfig.core.batch;

import com.fasterxml.jackson.databind.JsonNode;

/** A Kubernetes object as read, with where it came from ({@code file.yaml#2}) for error messages. */
public record SourcedObject(String origin, JsonNode object) {
    public String kind() {
        return object.path("kind").asText("");
    }

    public String namespace() {
        return object.path("metadata").path("namespace").asText(null);
    }

    public String name() {
        return object.path("metadata").path("name").asText("");
    }
}
