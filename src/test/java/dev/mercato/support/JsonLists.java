package dev.mercato.support;

import java.util.List;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/** Reading list responses in assertions. */
public final class JsonLists {

    private JsonLists() {}

    /** The item of a JSON array with this {@code id}, or null. */
    public static JsonNode find(JsonNode list, String id) {
        return StreamSupport.stream(list.spliterator(), false)
                .filter(item -> id.equals(item.get("id").asString()))
                .findFirst()
                .orElse(null);
    }

    public static List<String> ids(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false)
                .map(item -> item.get("id").asString())
                .toList();
    }

    public static List<String> fieldNames(JsonNode node) {
        return node.propertyNames().stream().toList();
    }
}
