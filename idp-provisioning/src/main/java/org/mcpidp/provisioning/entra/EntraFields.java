package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.mcpidp.provisioning.FieldChange;

/**
 * Objects are compared as ordered maps of managed field -> normalized text (as in the Keycloak target), so the plan
 * shows "field: old -> new" and fields the spec does not manage never show up.
 */
final class EntraFields {

    private EntraFields() {
    }

    static List<FieldChange> diff(Map<String, String> live, Map<String, String> desired) {
        List<FieldChange> changes = new ArrayList<>();
        desired.forEach((field, value) -> {
            String before = live.getOrDefault(field, "");
            if (!Objects.equals(before, value)) {
                changes.add(new FieldChange(field, before, value));
            }
        });
        return changes;
    }

    static List<FieldChange> created(Map<String, String> desired) {
        List<FieldChange> changes = new ArrayList<>();
        desired.forEach((field, value) -> {
            if (!value.isEmpty() && !"false".equals(value)) {
                changes.add(new FieldChange(field, "", value));
            }
        });
        return changes;
    }

    static String list(Collection<String> values) {
        return String.join(", ", new TreeSet<>(values));
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    static boolean changed(List<FieldChange> changes, String... fields) {
        List<String> wanted = List.of(fields);
        return changes.stream().anyMatch(c -> wanted.contains(c.field()));
    }
}
