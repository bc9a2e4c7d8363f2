package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
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

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
