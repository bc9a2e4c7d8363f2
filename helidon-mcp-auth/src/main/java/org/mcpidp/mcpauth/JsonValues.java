package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gate's parsed tree as the plain Java values the MCP SDK takes ({@code Map}, {@code List}, {@code String},
 * {@code Boolean}, the number node's own {@code Number}, null): exactly what {@code mapper.convertValue(tree, Map)}
 * makes of it (JsonValuesTest compares the two), by walking the tree once instead of writing it into a token buffer
 * and reading that back, which cost a serializer and a deserializer context per request.
 */
final class JsonValues {

    private JsonValues() {
    }

    /** The object's members, in their order. */
    static Map<String, Object> map(ObjectNode object, McpJsonMapper mapper) {
        Map<String, Object> values = new LinkedHashMap<>(Math.max(4, object.size() * 4 / 3 + 1));
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            values.put(member.getKey(), plain(member.getValue(), mapper));
        }
        return values;
    }

    static Object plain(JsonNode node, McpJsonMapper mapper) {
        return switch (node.getNodeType()) {
            case OBJECT -> map((ObjectNode) node, mapper);
            case ARRAY -> list((ArrayNode) node, mapper);
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NULL -> null;
            // the gate's parser makes int, long, BigInteger and BigDecimal nodes; convertValue keeps their Number
            case NUMBER -> node.isInt() || node.isLong() || node.isBigInteger() || node.isBigDecimal()
                    || node.isDouble() ? node.numberValue() : mapper.convertValue(node, Object.class);
            // nothing the parser makes (binary, POJO, missing): the SDK's own conversion, whatever it does
            default -> mapper.convertValue(node, Object.class);
        };
    }

    /** {@code value} with every map and list in it unmodifiable: plain values shared between requests. */
    static Object readOnly(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(key, readOnly(item)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(readOnly(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    private static List<Object> list(ArrayNode array, McpJsonMapper mapper) {
        List<Object> values = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            values.add(plain(element, mapper));
        }
        return values;
    }
}
