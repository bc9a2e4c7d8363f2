package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads Graph JSON into the text that {@link org.mcpidp.provisioning.FieldChange} compares (the diff itself is
 * shared with the Keycloak target).
 */
final class EntraFields {

    private EntraFields() {
    }

    /** The elements of a JSON array (none for a missing node). */
    static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** The entry of a Graph list (app roles, permission scopes) whose {@code value} is {@code value}. */
    static Optional<JsonNode> byValue(JsonNode array, String value) {
        return stream(array).filter(e -> e.path("value").asText().equals(value)).findFirst();
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
