package com.example.notes;

import io.helidon.extensions.mcp.server.McpToolResult;

/** Tool results as plain text: what an agent reads. */
final class Text {

    private Text() {
    }

    static McpToolResult result(String text) {
        return McpToolResult.builder().addTextContent(text).build();
    }

    static McpToolResult error(String message) {
        return McpToolResult.builder().addTextContent(message).error(true).build();
    }
}
