package org.mcpidp.provisioning.keycloak;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.mcpidp.provisioning.FieldChange;

/**
 * Objects are compared as ordered maps of managed field -> normalized text, so every reconciler diffs the same way
 * and the plan can show "field: old -> new". Fields the spec does not manage are never read into these maps, which
 * is what keeps hand-made changes to other settings out of the plan.
 */
final class Fields {

    private Fields() {
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

    static String text(String value) {
        return value == null ? "" : value;
    }

    static String bool(Boolean value) {
        return Boolean.toString(Boolean.TRUE.equals(value));
    }

    static boolean changed(List<FieldChange> changes, String... fields) {
        List<String> wanted = List.of(fields);
        return changes.stream().anyMatch(c -> wanted.contains(c.field()));
    }
}
