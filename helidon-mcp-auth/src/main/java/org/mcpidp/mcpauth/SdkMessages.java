package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.util.Map;

/**
 * The one parse, handed to the engine: the parts of a gate-read {@link JsonRpcCalls.Call} as the SDK's message types
 * take them, made from the gate's tree, never by reading the body again (so the engine executes what was authorized).
 */
final class SdkMessages {

    private SdkMessages() {
    }

    /** The params of a call as the SDK takes them: the gate's tree, walked (not re-read) into maps. */
    static Map<String, Object> params(JsonRpcCalls.Call call, McpJsonMapper mapper) {
        JsonNode params = call.message().get("params");
        return params instanceof ObjectNode object ? JsonValues.map(object, mapper) : null;
    }

    /** A JSON-RPC id as the SDK keeps one: a string, or an integer. */
    static Object idValue(JsonNode id) {
        return id.isTextual() ? id.textValue() : id.canConvertToInt() ? (Object) id.intValue() : id.longValue();
    }
}
