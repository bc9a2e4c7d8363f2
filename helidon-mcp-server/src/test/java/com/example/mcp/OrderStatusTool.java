package com.example.mcp;

import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import org.mcpidp.mcpauth.GuardedTool;
import org.mcpidp.mcpauth.ToolRequirement;
import org.mcpidp.verifier.AuthInfo;

/** An MCP tool that declares what a caller needs: scope orders:read, or the realm role support. */
public final class OrderStatusTool implements GuardedTool {

    @Override
    public ToolRequirement requirement() {
        // all of these scopes, or any one of the roles; ToolRequirement.anyAuthenticated() for any signed-in caller
        return ToolRequirement.scopes("orders:read").orAnyRole("support");
    }

    @Override
    public String name() {
        return "order_status";
    }

    @Override
    public String description() {
        return "Shows the status of one order.";
    }

    @Override
    public String schema() {
        return """
                {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}""";
    }

    @Override
    public McpToolResult tool(McpToolRequest request) {
        AuthInfo caller = GuardedTool.caller(request); // the verified token: subject, scopes, roles, claims
        String id = request.arguments().get("id").asString().orElse("?");
        return McpToolResult.builder()
                .addTextContent("order " + id + " is shipped (asked by " + caller.subject() + ")")
                .build();
    }
}
