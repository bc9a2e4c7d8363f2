package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Graph JSON into the text that {@link org.mcpidp.provisioning.FieldChange} compares (the diff itself is
 * shared with the Keycloak target).
 */
final class EntraFields {

    private EntraFields() {
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
