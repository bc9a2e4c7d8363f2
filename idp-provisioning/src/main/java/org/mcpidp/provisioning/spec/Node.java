package org.mcpidp.provisioning.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML/JSON tree that remembers where each value and key was written. Jackson's {@code JsonNode} forgets
 * locations, and every validation message must name file, line and column.
 */
sealed interface Node {

    int line();

    int column();

    /** A scalar; {@code text} is null for YAML {@code null} / {@code ~}. */
    record Scalar(String text, int line, int column) implements Node {
    }

    record Sequence(List<Node> items, int line, int column) implements Node {
    }

    record Mapping(Map<String, Entry> entries, int line, int column) implements Node {
        public Mapping {
            entries = new LinkedHashMap<>(entries);
        }
    }

    /** A mapping entry: the key's own location is where "unknown field" points. */
    record Entry(String key, int keyLine, int keyColumn, Node value) {
    }
}
