package org.mcpidp.provisioning;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One managed field: its live value and the value the spec wants ({@code ""} when absent). Never a secret.
 *
 * <p>Every target compares objects the same way: as ordered maps of managed field -> normalized text, so the plan can
 * show "field: old -> new". Fields the spec does not manage are never read into these maps, which is what keeps
 * hand-made changes to other settings out of the plan.
 */
public record FieldChange(String field, String before, String after) {

    /** The managed fields whose live value differs from the desired one. */
    public static List<FieldChange> diff(Map<String, String> live, Map<String, String> desired) {
        List<FieldChange> changes = new ArrayList<>();
        desired.forEach((field, value) -> {
            String before = live.getOrDefault(field, "");
            if (!Objects.equals(before, value)) {
                changes.add(new FieldChange(field, before, value));
            }
        });
        return changes;
    }

    /** What a create sets: every desired field except empty and {@code false} ones. */
    public static List<FieldChange> created(Map<String, String> desired) {
        List<FieldChange> changes = new ArrayList<>();
        desired.forEach((field, value) -> {
            if (!value.isEmpty() && !"false".equals(value)) {
                changes.add(new FieldChange(field, "", value));
            }
        });
        return changes;
    }

    /** A set of values as normalized text: sorted, comma-separated. */
    public static String list(Collection<String> values) {
        return String.join(", ", new TreeSet<>(values));
    }

    /** True when one of {@code fields} is among the changes. */
    public static boolean changed(List<FieldChange> changes, String... fields) {
        List<String> wanted = List.of(fields);
        return changes.stream().anyMatch(c -> wanted.contains(c.field()));
    }
}
