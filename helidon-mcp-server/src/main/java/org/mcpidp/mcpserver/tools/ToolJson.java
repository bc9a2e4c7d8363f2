package org.mcpidp.mcpserver.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.util.Map;

/** JSON text results of the demo tools, and their small schemas. */
final class ToolJson {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The input schema of a tool that takes no arguments. */
    static final Map<String, Object> NO_ARGUMENTS = Map.of("type", "object", "properties", Map.of());

    private ToolJson() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A result whose text is {@code value} as JSON. */
    static McpSyncResponse<McpSchema.CallToolOutcome> result(Object value) {
        try {
            return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                    .addContent(McpSchema.TextContent.builder(JSON.writeValueAsString(value)).build())
                    .build());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tool error the model can read and act on (a result with {@code isError}, not a protocol error). */
    static McpSyncResponse<McpSchema.CallToolOutcome> error(String message) {
        return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                .addContent(McpSchema.TextContent.builder(message).build())
                .isError(true)
                .build());
    }

    /** A string argument, when it is one. */
    static java.util.Optional<String> text(McpSchema.CallToolRequest request, String name) {
        return request.arguments() != null && request.arguments().get(name) instanceof String value
                ? java.util.Optional.of(value) : java.util.Optional.empty();
    }
}
