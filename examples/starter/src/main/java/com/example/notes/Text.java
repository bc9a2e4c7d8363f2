package com.example.notes;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpSyncResponse;

/** Tool results as plain text: what an agent reads. */
final class Text {

    private Text() {
    }

    static McpSyncResponse<McpSchema.CallToolOutcome> result(String text) {
        return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                .addContent(McpSchema.TextContent.builder(text).build())
                .build());
    }

    static McpSyncResponse<McpSchema.CallToolOutcome> error(String message) {
        return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                .addContent(McpSchema.TextContent.builder(message).build())
                .isError(true)
                .build());
    }
}
