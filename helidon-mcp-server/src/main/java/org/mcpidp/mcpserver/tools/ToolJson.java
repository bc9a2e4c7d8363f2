package org.mcpidp.mcpserver.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.extensions.mcp.server.McpToolResult;

/** JSON text results of the demo tools. */
final class ToolJson {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The input schema of a tool that takes no arguments. */
    static final String NO_ARGUMENTS = """
            {"type": "object", "properties": {}}""";

    private ToolJson() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static McpToolResult result(Object value) {
        try {
            return McpToolResult.builder().addTextContent(JSON.writeValueAsString(value)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static McpToolResult error(String message) {
        return McpToolResult.builder().addTextContent(message).error(true).build();
    }
}
